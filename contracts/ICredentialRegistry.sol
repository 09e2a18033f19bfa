// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title ICredentialRegistry
 * @notice A registry of accredited issuers and of the Merkle roots of their credential batches, with per-credential
 * revocation (final) and suspension (reversible) kept as on-chain bitstring status lists.
 *
 * Every credential is a leaf `keccak256(bytes.concat(keccak256(abi.encode(uint256 index, bytes32 credentialHash))))`
 * of a tree built with sorted pairs (OpenZeppelin `MerkleProof`). Only the root goes on chain, in one
 * {anchorBatch} transaction per batch. Batches are keyed by `(issuer, root)`: nobody can squat another issuer's root.
 *
 * Every state change emits an event right after it, indexed by issuer (and root for batch and credential changes),
 * so that an auditor can rebuild the whole history from logs alone. A status change made by an accreditor (possible
 * only once the issuer is deactivated) also emits {StatusChangedByAccreditor}; every other status change is, by
 * construction, made by the batch's own issuer.
 *
 * Reason codes (`uint8`, see `docs/reason-codes.md`): 0 Unspecified, 1 IssuedInError, 2 Superseded, 3 Misconduct,
 * 4 KeyCompromise, 5 HolderRequest, 6 AccreditationWithdrawn, 7 CessationOfOperation, 8 UnderInvestigation,
 * 9 ReviewCompleted. Any other code is rejected with {CredentialRegistryUnknownReason}.
 *
 * NOTE: The registry is deliberately not upgradeable: the rules under which a credential was issued can never change.
 */
interface ICredentialRegistry {
    /// @notice What the chain knows of an issuer. Strings are empty and times zero for an unknown address.
    struct Issuer {
        /// @dev Human-readable name shown to verifiers (e.g. "University of Example").
        string name;
        /// @dev The issuer id that credentials carry in `issuer.id` (a URL or DID).
        string profileId;
        /// @dev Block time of accreditation; zero if never accredited.
        uint64 accreditedAt;
        /// @dev Block time of deactivation; zero while active.
        uint64 deactivatedAt;
        /// @dev Reason code given at deactivation.
        uint8 deactivationReason;
    }

    /// @notice One anchored batch. Packed in a single storage slot. All zero for an unknown `(issuer, root)`.
    struct Batch {
        /// @dev Block time of anchoring; zero if this issuer never anchored this root.
        uint40 anchoredAt;
        /// @dev Number of leaves (credentials); valid indices are `0 .. leafCount - 1`.
        uint32 leafCount;
        /// @dev Block number of anchoring (lets a verifier count confirmations from one call).
        uint64 anchoredBlock;
        /// @dev Block time of the batch's revocation; zero if not revoked.
        uint40 revokedAt;
        /// @dev Reason code of the batch's revocation.
        uint8 revocationReason;
    }

    /// @notice Everything a verifier needs about one credential, from one `eth_call`.
    struct CredentialStatus {
        /// @dev The Merkle proof leads from the leaf of `(index, credentialHash)` to `root`.
        bool proofValid;
        /// @dev `index < leafCount` (false when the batch is unknown).
        bool indexInRange;
        /// @dev The credential's bit is set in the revocation list (final).
        bool revoked;
        /// @dev The credential's bit is set in the suspension list (reversible).
        bool suspended;
        /// @dev The whole batch is revoked (final).
        bool batchRevoked;
        /// @dev Number of leaves of the batch; zero when `(issuer, root)` is not anchored.
        uint32 leafCount;
        /// @dev Block time of anchoring; zero when not anchored.
        uint40 anchoredAt;
        /// @dev Block number of anchoring; zero when not anchored.
        uint64 anchoredBlock;
        /// @dev Block time of the batch's revocation; zero if not revoked.
        uint40 batchRevokedAt;
        /// @dev Reason code of the batch's revocation.
        uint8 batchRevocationReason;
        /// @dev Block time of the issuer's accreditation; zero if never accredited.
        uint64 issuerAccreditedAt;
        /// @dev Block time of the issuer's deactivation; zero while active.
        uint64 issuerDeactivatedAt;
    }

    /// @notice One credential to check in {credentialStatuses}.
    struct CredentialQuery {
        address issuer;
        bytes32 root;
        uint256 index;
        bytes32 credentialHash;
        bytes32[] proof;
    }

    // ------------------------------------------------------------------ events

    /// @notice `accreditor` accredited `issuer` under `name`, bound to `profileId`.
    event IssuerAccredited(address indexed issuer, string name, string profileId, address indexed accreditor);

    /// @notice `accreditor` deactivated `issuer` for `reason`. Batches anchored before stay valid.
    event IssuerDeactivated(address indexed issuer, uint8 reason, address indexed accreditor);

    /// @notice `issuer` anchored the Merkle `root` of a batch of `leafCount` credentials.
    event BatchAnchored(address indexed issuer, bytes32 indexed root, uint32 leafCount);

    /// @notice The batch `(issuer, root)` was revoked for `reason` by `actor` (the issuer, or an accreditor).
    event BatchRevoked(address indexed issuer, bytes32 indexed root, uint8 reason, address actor);

    /// @notice Credential `index` of batch `(issuer, root)` was revoked for `reason`.
    event CredentialRevoked(address indexed issuer, bytes32 indexed root, uint256 index, uint8 reason);

    /// @notice Credential `index` of batch `(issuer, root)` was suspended for `reason`.
    event CredentialSuspended(address indexed issuer, bytes32 indexed root, uint256 index, uint8 reason);

    /// @notice Credential `index` of batch `(issuer, root)` was reinstated (its suspension lifted) for `reason`.
    event CredentialReinstated(address indexed issuer, bytes32 indexed root, uint256 index, uint8 reason);

    /// @notice The status changes just emitted for `count` credentials of `(issuer, root)` were made by `accreditor`
    /// (the issuer being deactivated). Emitted once per call, after the per-credential events.
    event StatusChangedByAccreditor(
        address indexed issuer,
        bytes32 indexed root,
        address indexed accreditor,
        uint256 count
    );

    // ------------------------------------------------------------------ errors

    /// @notice `issuer` is the zero address.
    error CredentialRegistryInvalidIssuer(address issuer);

    /// @notice The name given for `issuer` is empty or longer than `maxLength` bytes.
    error CredentialRegistryInvalidIssuerName(address issuer, uint256 length, uint256 maxLength);

    /// @notice The profile id given for `issuer` is empty or longer than `maxLength` bytes.
    error CredentialRegistryInvalidProfileId(address issuer, uint256 length, uint256 maxLength);

    /// @notice `issuer` was already accredited at `accreditedAt` (an address is accredited once, ever).
    error CredentialRegistryIssuerAlreadyAccredited(address issuer, uint64 accreditedAt);

    /// @notice `issuer` is not accredited.
    error CredentialRegistryIssuerNotAccredited(address issuer);

    /// @notice `issuer` was deactivated at `deactivatedAt` and can no longer anchor or change statuses.
    error CredentialRegistryIssuerDeactivated(address issuer, uint64 deactivatedAt);

    /// @notice `issuer` is still active: only it may change its statuses.
    error CredentialRegistryIssuerActive(address issuer);

    /// @notice A batch needs a non-zero root and a non-zero leaf count.
    error CredentialRegistryInvalidBatch(bytes32 root, uint32 leafCount);

    /// @notice `issuer` already anchored `root` at `anchoredAt`.
    error CredentialRegistryBatchAlreadyAnchored(address issuer, bytes32 root, uint40 anchoredAt);

    /// @notice `issuer` never anchored `root`.
    error CredentialRegistryBatchNotFound(address issuer, bytes32 root);

    /// @notice The batch `(issuer, root)` was revoked at `revokedAt`; it can no longer change.
    error CredentialRegistryBatchRevoked(address issuer, bytes32 root, uint40 revokedAt);

    /// @notice No index was given for `(issuer, root)`.
    error CredentialRegistryNoIndices(address issuer, bytes32 root);

    /// @notice `index` is not below the batch's `leafCount`.
    error CredentialRegistryIndexOutOfRange(address issuer, bytes32 root, uint256 index, uint32 leafCount);

    /// @notice Credential `index` of `(issuer, root)` is already revoked (revocation is final).
    error CredentialRegistryCredentialRevoked(address issuer, bytes32 root, uint256 index);

    /// @notice Credential `index` of `(issuer, root)` is already suspended.
    error CredentialRegistryCredentialSuspended(address issuer, bytes32 root, uint256 index);

    /// @notice Credential `index` of `(issuer, root)` is not suspended, so there is nothing to reinstate.
    error CredentialRegistryCredentialNotSuspended(address issuer, bytes32 root, uint256 index);

    /// @notice `reason` is not in the reason-code table (valid codes are `0 .. maxReason`).
    error CredentialRegistryUnknownReason(uint8 reason, uint8 maxReason);

    // ------------------------------------------------------------------ governance

    /// @notice The role that accredits and deactivates issuers. Administered by the default admin.
    function ACCREDITOR_ROLE() external view returns (bytes32);

    /// @notice The highest valid reason code.
    function MAX_REASON() external view returns (uint8);

    /**
     * @notice Accredits `issuerAddress` under `name`, binding it to `profileId` (the `issuer.id` its credentials
     * carry). Emits {IssuerAccredited}.
     * @dev Only `ACCREDITOR_ROLE`. An address is accredited once, ever: a deactivated address can never be
     * re-accredited (accredit a new key instead). Several addresses may share one `profileId` (key rotation,
     * departments). `name` is 1..128 bytes, `profileId` 1..256 bytes.
     */
    function accreditIssuer(address issuerAddress, string calldata name, string calldata profileId) external;

    /**
     * @notice Deactivates `issuerAddress` for `reason`, recording the time. Emits {IssuerDeactivated}.
     * @dev Only `ACCREDITOR_ROLE`. Batches anchored before stay valid. Afterwards the issuer can neither anchor nor
     * change any status; only an accreditor can revoke, suspend or reinstate its credentials (the `...Of` functions).
     */
    function deactivateIssuer(address issuerAddress, uint8 reason) external;

    /// @notice What the chain knows of `issuerAddress` (all empty for an unknown address).
    function issuer(address issuerAddress) external view returns (Issuer memory);

    // ------------------------------------------------------------------ batches

    /**
     * @notice Anchors the Merkle `root` of a batch of `leafCount` credentials, issued by the caller.
     * Emits {BatchAnchored}.
     * @dev Caller must be an accredited, active issuer. Reverts on a zero root, a zero count, or a root the caller
     * already anchored. Stores block time, leaf count and block number in one slot.
     */
    function anchorBatch(bytes32 root, uint32 leafCount) external;

    /// @notice Revokes the caller's whole batch `root` for `reason` (final). Emits {BatchRevoked}.
    function revokeBatch(bytes32 root, uint8 reason) external;

    /// @notice Accreditor form of {revokeBatch} for a deactivated `issuerAddress`.
    function revokeBatchOf(address issuerAddress, bytes32 root, uint8 reason) external;

    /// @notice The batch `(issuerAddress, root)` (all zero if unknown).
    function batch(address issuerAddress, bytes32 root) external view returns (Batch memory);

    // ------------------------------------------------------------------ credential status

    /**
     * @notice Revokes (finally) credentials `indices` of the caller's batch `root` for `reason`.
     * Emits one {CredentialRevoked} per index.
     * @dev Caller must be the batch's issuer and active. Reverts if the batch is unknown or revoked, if `indices` is
     * empty, if an index is out of range or already revoked (duplicates included), or if `reason` is unknown.
     * A suspended credential may be revoked.
     */
    function revokeCredentials(bytes32 root, uint256[] calldata indices, uint8 reason) external;

    /**
     * @notice Suspends (reversibly) credentials `indices` of the caller's batch `root` for `reason`.
     * Emits one {CredentialSuspended} per index.
     * @dev As {revokeCredentials}; also reverts for a credential already suspended or already revoked.
     */
    function suspendCredentials(bytes32 root, uint256[] calldata indices, uint8 reason) external;

    /**
     * @notice Lifts the suspension of credentials `indices` of the caller's batch `root`, for `reason`.
     * Emits one {CredentialReinstated} per index.
     * @dev As {revokeCredentials}; also reverts for a credential that is revoked or not suspended.
     */
    function reinstateCredentials(bytes32 root, uint256[] calldata indices, uint8 reason) external;

    /// @notice Accreditor form of {revokeCredentials} for a deactivated `issuerAddress`.
    function revokeCredentialsOf(address issuerAddress, bytes32 root, uint256[] calldata indices, uint8 reason)
        external;

    /// @notice Accreditor form of {suspendCredentials} for a deactivated `issuerAddress`.
    function suspendCredentialsOf(address issuerAddress, bytes32 root, uint256[] calldata indices, uint8 reason)
        external;

    /// @notice Accreditor form of {reinstateCredentials} for a deactivated `issuerAddress`.
    function reinstateCredentialsOf(address issuerAddress, bytes32 root, uint256[] calldata indices, uint8 reason)
        external;

    /**
     * @notice Word `wordIndex` of the revocation list and of the suspension list of `(issuerAddress, root)`: the
     * bitstring status lists, 256 credentials per word. Credential `i` is bit `i % 256` (least significant first)
     * of word `i / 256`; a set bit means revoked (resp. suspended).
     */
    function statusWords(address issuerAddress, bytes32 root, uint256 wordIndex)
        external
        view
        returns (uint256 revoked, uint256 suspended);

    // ------------------------------------------------------------------ verification

    /// @notice The leaf of credential `index` with hash `credentialHash`:
    /// `keccak256(bytes.concat(keccak256(abi.encode(index, credentialHash))))`.
    function leafOf(uint256 index, bytes32 credentialHash) external pure returns (bytes32);

    /**
     * @notice Everything a verifier needs about one credential, in one call.
     * @dev Never reverts for unknown input: an unknown issuer, root or index, or a wrong proof, is reported through
     * the returned fields (`anchoredAt == 0`, `indexInRange == false`, `proofValid == false`, ...).
     */
    function credentialStatus(
        address issuerAddress,
        bytes32 root,
        uint256 index,
        bytes32 credentialHash,
        bytes32[] calldata proof
    ) external view returns (CredentialStatus memory);

    /// @notice {credentialStatus} for many credentials in one call; results in the order of `queries`.
    function credentialStatuses(CredentialQuery[] calldata queries) external view returns (CredentialStatus[] memory);
}
