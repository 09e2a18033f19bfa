// Injected into the browser bundle: every bare `Buffer` reference resolves to the `buffer` package.
export { Buffer } from "buffer";
