import type { XmlNode } from "./parseSvgDocument.ts";

/** `node` and every node inside it, in document order; iterative, so a deeply nested file cannot overflow the stack. */
export function* xmlDescendants(node: XmlNode): Generator<XmlNode> {
  const pending: XmlNode[] = [node];
  while (pending.length > 0) {
    const next = pending.pop()!;
    yield next;
    if (next.kind === "element") for (let index = next.children.length - 1; index >= 0; index -= 1) pending.push(next.children[index]!);
  }
}
