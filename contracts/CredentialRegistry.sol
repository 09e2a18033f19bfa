// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ICredentialRegistry} from "./ICredentialRegistry.sol";
import {IssuerKeyRegistry} from "./IssuerKeyRegistry.sol";

/**
 * @title CredentialRegistry
 * @notice See {ICredentialRegistry}. Governance is OpenZeppelin {AccessControlDefaultAdminRules}: one default admin,
 * transferred in two steps after a delay; the admin grants and revokes `ACCREDITOR_ROLE`.
 */
contract CredentialRegistry is ICredentialRegistry, AccessControlDefaultAdminRules {
    /// @inheritdoc ICredentialRegistry
    bytes32 public constant ACCREDITOR_ROLE = keccak256("ACCREDITOR_ROLE");

    /// @inheritdoc ICredentialRegistry
    uint8 public constant MAX_REASON = 9;

    uint256 private constant _MAX_NAME_LENGTH = 128;
    uint256 private constant _MAX_PROFILE_ID_LENGTH = 256;

    /// @dev Storage layout of an issuer: both times share the first slot, read on every issuer action.
    struct IssuerRecord {
        uint64 accreditedAt;
        uint64 deactivatedAt;
        uint8 deactivationReason;
        string name;
        string profileId;
    }

    enum StatusChange {
        Revoke,
        Suspend,
        Reinstate
    }

    // Storage is namespaced (in the spirit of ERC-7201) so that the hot paths need at most one keccak per lookup:
    // - issuer `a`: the 3-slot IssuerRecord at `_ISSUERS + 4 * uint160(a)` (no keccak; records never overlap);
    // - batch `(issuer, root)`: one slot at `keccak256(abi.encodePacked(issuer, root))` (a 52-byte preimage);
    // - status word `w` of list L: one slot at `keccak256(abi.encodePacked(issuer, root, w, uint8(L)))` (85 bytes),
    //   L = _REVOKED or _SUSPENDED.
    // Solidity's own keccak slots (AccessControl's mappings, long strings) have 32- or 64-byte preimages, so no
    // caller-chosen root can ever land a batch or status word on them; the issuer region starts at a keccak output.
    uint256 private constant _ISSUERS = uint256(keccak256("credreg.CredentialRegistry.issuers"));
    uint256 private constant _REVOKED = 1;
    uint256 private constant _SUSPENDED = 2;

    /**
     * @dev Also creates this registry's {IssuerKeyRegistry} (issuers' signing keys, format v2) as its first and only
     * contract creation: its address is `getCreateAddress(this registry, nonce 1)`, so whoever trusts this registry
     * finds the key registry without trusting a second address, and the runtime code (the anchoring path's gas) is
     * unchanged.
     * @param initialAdminDelay Delay (seconds) before a default-admin transfer can be accepted.
     * @param initialAdmin The default admin (grants and revokes `ACCREDITOR_ROLE`).
     */
    constructor(uint48 initialAdminDelay, address initialAdmin)
        AccessControlDefaultAdminRules(initialAdminDelay, initialAdmin)
    {
        new IssuerKeyRegistry(this, ACCREDITOR_ROLE, MAX_REASON);
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc ICredentialRegistry
    function accreditIssuer(address issuerAddress, string calldata name, string calldata profileId)
        external
        onlyRole(ACCREDITOR_ROLE)
    {
        if (issuerAddress == address(0)) revert CredentialRegistryInvalidIssuer(issuerAddress);
        uint256 nameLength = bytes(name).length;
        if (nameLength == 0 || nameLength > _MAX_NAME_LENGTH) {
            revert CredentialRegistryInvalidIssuerName(issuerAddress, nameLength, _MAX_NAME_LENGTH);
        }
        uint256 profileIdLength = bytes(profileId).length;
        if (profileIdLength == 0 || profileIdLength > _MAX_PROFILE_ID_LENGTH) {
            revert CredentialRegistryInvalidProfileId(issuerAddress, profileIdLength, _MAX_PROFILE_ID_LENGTH);
        }
        IssuerRecord storage record = _issuerRecord(issuerAddress);
        if (record.accreditedAt != 0) {
            revert CredentialRegistryIssuerAlreadyAccredited(issuerAddress, record.accreditedAt);
        }
        record.accreditedAt = uint64(block.timestamp);
        record.name = name;
        record.profileId = profileId;
        emit IssuerAccredited(issuerAddress, name, profileId, msg.sender);
    }

    /// @inheritdoc ICredentialRegistry
    function deactivateIssuer(address issuerAddress, uint8 reason) external onlyRole(ACCREDITOR_ROLE) {
        _requireKnownReason(reason);
        _requireActiveIssuer(issuerAddress);
        IssuerRecord storage record = _issuerRecord(issuerAddress);
        record.deactivatedAt = uint64(block.timestamp);
        record.deactivationReason = reason;
        emit IssuerDeactivated(issuerAddress, reason, msg.sender);
    }

    /// @inheritdoc ICredentialRegistry
    function issuer(address issuerAddress) external view returns (Issuer memory) {
        IssuerRecord storage record = _issuerRecord(issuerAddress);
        return Issuer({
            name: record.name,
            profileId: record.profileId,
            accreditedAt: record.accreditedAt,
            deactivatedAt: record.deactivatedAt,
            deactivationReason: record.deactivationReason
        });
    }

    // ------------------------------------------------------------------ batches

    /// @inheritdoc ICredentialRegistry
    /// @dev Every issuer's hot path, written in assembly to stay under the peer's 48,262 gas while storing more: one
    /// branch decides success (non-zero root and count, accredited, not deactivated, root new), then one SSTORE and
    /// the event; the Solidity code after the block only works out which error to raise.
    /// Packing (lowest bits first): issuer slot 0 = accreditedAt (64) | deactivatedAt (64);
    /// Batch = anchoredAt (40) | leafCount (32) | anchoredBlock (64) | revokedAt (40) | revocationReason (8).
    function anchorBatch(bytes32 root, uint32 leafCount) external {
        uint256 issuers = _ISSUERS;
        bytes32 topic = BatchAnchored.selector;
        assembly ("memory-safe") {
            // Scratch space only (0x00-0x3f): no memory expansion.
            mstore(0x00, caller())
            mstore(0x20, root)
            let slot := keccak256(0x0c, 0x34)
            // Accredited and active <=> 0 < issuerWord < 2^64 (deactivatedAt sits in bits 64..127).
            // Root not yet anchored by this issuer <=> the batch slot is zero.
            if and(
                lt(sub(sload(add(issuers, shl(2, caller()))), 1), 0xffffffffffffffff),
                iszero(or(sload(slot), or(iszero(root), iszero(leafCount))))
            ) {
                sstore(slot, or(or(timestamp(), shl(40, leafCount)), shl(72, number())))
                mstore(0x00, leafCount)
                log3(0x00, 0x20, topic, caller(), root)
                return(0, 0)
            }
        }
        if (root == bytes32(0) || leafCount == 0) revert CredentialRegistryInvalidBatch(root, leafCount);
        _requireActiveIssuer(msg.sender);
        revert CredentialRegistryBatchAlreadyAnchored(msg.sender, root, uint40(_load(_batchSlot(msg.sender, root))));
    }

    /// @inheritdoc ICredentialRegistry
    function revokeBatch(bytes32 root, uint8 reason) external {
        _requireActiveIssuer(msg.sender);
        _revokeBatch(msg.sender, root, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function revokeBatchOf(address issuerAddress, bytes32 root, uint8 reason)
        external
        onlyRole(ACCREDITOR_ROLE)
    {
        _requireDeactivatedIssuer(issuerAddress);
        _revokeBatch(issuerAddress, root, reason);
    }

    /// @inheritdoc ICredentialRegistry
    function batch(address issuerAddress, bytes32 root) external view returns (Batch memory) {
        return _decodeBatch(_load(_batchSlot(issuerAddress, root)));
    }

    // ------------------------------------------------------------------ credential status

    /// @inheritdoc ICredentialRegistry
    function revokeCredentials(bytes32 root, uint256[] calldata indices, uint8 reason) external {
        _requireActiveIssuer(msg.sender);
        _changeStatus(msg.sender, root, indices, reason, StatusChange.Revoke);
    }

    /// @inheritdoc ICredentialRegistry
    function suspendCredentials(bytes32 root, uint256[] calldata indices, uint8 reason) external {
        _requireActiveIssuer(msg.sender);
        _changeStatus(msg.sender, root, indices, reason, StatusChange.Suspend);
    }

    /// @inheritdoc ICredentialRegistry
    function reinstateCredentials(bytes32 root, uint256[] calldata indices, uint8 reason) external {
        _requireActiveIssuer(msg.sender);
        _changeStatus(msg.sender, root, indices, reason, StatusChange.Reinstate);
    }

    /// @inheritdoc ICredentialRegistry
    function revokeCredentialsOf(address issuerAddress, bytes32 root, uint256[] calldata indices, uint8 reason)
        external
        onlyRole(ACCREDITOR_ROLE)
    {
        _changeStatusAsAccreditor(issuerAddress, root, indices, reason, StatusChange.Revoke);
    }

    /// @inheritdoc ICredentialRegistry
    function suspendCredentialsOf(address issuerAddress, bytes32 root, uint256[] calldata indices, uint8 reason)
        external
        onlyRole(ACCREDITOR_ROLE)
    {
        _changeStatusAsAccreditor(issuerAddress, root, indices, reason, StatusChange.Suspend);
    }

    /// @inheritdoc ICredentialRegistry
    function reinstateCredentialsOf(address issuerAddress, bytes32 root, uint256[] calldata indices, uint8 reason)
        external
        onlyRole(ACCREDITOR_ROLE)
    {
        _changeStatusAsAccreditor(issuerAddress, root, indices, reason, StatusChange.Reinstate);
    }

    /// @inheritdoc ICredentialRegistry
    function statusWords(address issuerAddress, bytes32 root, uint256 wordIndex)
        external
        view
        returns (uint256 revoked, uint256 suspended)
    {
        revoked = _statusWord(issuerAddress, root, wordIndex, _REVOKED);
        suspended = _statusWord(issuerAddress, root, wordIndex, _SUSPENDED);
    }

    // ------------------------------------------------------------------ verification

    /// @inheritdoc ICredentialRegistry
    function leafOf(uint256 index, bytes32 credentialHash) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, credentialHash))));
    }

    /// @inheritdoc ICredentialRegistry
    function credentialStatus(
        address issuerAddress,
        bytes32 root,
        uint256 index,
        bytes32 credentialHash,
        bytes32[] calldata proof
    ) external view returns (CredentialStatus memory) {
        return _credentialStatus(issuerAddress, root, index, credentialHash, proof);
    }

    /// @inheritdoc ICredentialRegistry
    function credentialStatuses(CredentialQuery[] calldata queries)
        external
        view
        returns (CredentialStatus[] memory statuses)
    {
        uint256 count = queries.length;
        statuses = new CredentialStatus[](count);
        for (uint256 i = 0; i < count; ++i) {
            CredentialQuery calldata query = queries[i];
            statuses[i] = _credentialStatus(query.issuer, query.root, query.index, query.credentialHash, query.proof);
        }
    }

    // ------------------------------------------------------------------ internals

    function _credentialStatus(
        address issuerAddress,
        bytes32 root,
        uint256 index,
        bytes32 credentialHash,
        bytes32[] calldata proof
    ) private view returns (CredentialStatus memory status) {
        Batch memory stored = _decodeBatch(_load(_batchSlot(issuerAddress, root)));
        IssuerRecord storage record = _issuerRecord(issuerAddress);
        uint256 word = index >> 8;
        uint256 mask = 1 << (index & 0xff);
        status.proofValid = MerkleProof.verifyCalldata(proof, root, leafOf(index, credentialHash));
        status.indexInRange = index < stored.leafCount;
        status.revoked = _statusWord(issuerAddress, root, word, _REVOKED) & mask != 0;
        status.suspended = _statusWord(issuerAddress, root, word, _SUSPENDED) & mask != 0;
        status.batchRevoked = stored.revokedAt != 0;
        status.leafCount = stored.leafCount;
        status.anchoredAt = stored.anchoredAt;
        status.anchoredBlock = stored.anchoredBlock;
        status.batchRevokedAt = stored.revokedAt;
        status.batchRevocationReason = stored.revocationReason;
        status.issuerAccreditedAt = record.accreditedAt;
        status.issuerDeactivatedAt = record.deactivatedAt;
    }

    function _revokeBatch(address issuerAddress, bytes32 root, uint8 reason) private {
        _requireKnownReason(reason);
        Batch storage stored = _batch(issuerAddress, root);
        if (stored.anchoredAt == 0) revert CredentialRegistryBatchNotFound(issuerAddress, root);
        uint40 revokedAt = stored.revokedAt;
        if (revokedAt != 0) revert CredentialRegistryBatchRevoked(issuerAddress, root, revokedAt);
        stored.revokedAt = uint40(block.timestamp);
        stored.revocationReason = reason;
        emit BatchRevoked(issuerAddress, root, reason, msg.sender);
    }

    function _changeStatusAsAccreditor(
        address issuerAddress,
        bytes32 root,
        uint256[] calldata indices,
        uint8 reason,
        StatusChange change
    ) private {
        _requireDeactivatedIssuer(issuerAddress);
        _changeStatus(issuerAddress, root, indices, reason, change);
        emit StatusChangedByAccreditor(issuerAddress, root, msg.sender, indices.length);
    }

    /// @dev Applies `change` to every index, writing each bit and emitting its event right after. Consecutive indices
    /// in one status word reuse its slot and value (one keccak and one cold read per word, not per index).
    function _changeStatus(
        address issuerAddress,
        bytes32 root,
        uint256[] calldata indices,
        uint8 reason,
        StatusChange change
    ) private {
        _requireKnownReason(reason);
        uint256 batchWord = _load(_batchSlot(issuerAddress, root));
        if (uint40(batchWord) == 0) revert CredentialRegistryBatchNotFound(issuerAddress, root);
        if (uint40(batchWord >> 136) != 0) {
            revert CredentialRegistryBatchRevoked(issuerAddress, root, uint40(batchWord >> 136));
        }
        uint256 count = indices.length;
        if (count == 0) revert CredentialRegistryNoIndices(issuerAddress, root);
        uint256 leafCount = uint32(batchWord >> 40);

        if (change == StatusChange.Revoke) {
            _revokeEach(issuerAddress, root, indices, reason, leafCount);
            return;
        }
        StatusWords memory words = StatusWords({word: type(uint256).max, revoked: 0, suspendedSlot: 0, suspended: 0});
        for (uint256 i = 0; i < count; ) {
            uint256 index = indices[i];
            if (index >= leafCount) {
                revert CredentialRegistryIndexOutOfRange(issuerAddress, root, index, uint32(leafCount));
            }
            uint256 word = index >> 8;
            if (word != words.word) _loadStatusWords(words, issuerAddress, root, word);
            uint256 mask = 1 << (index & 0xff);
            if (words.revoked & mask != 0) revert CredentialRegistryCredentialRevoked(issuerAddress, root, index);
            if (change == StatusChange.Suspend) {
                if (words.suspended & mask != 0) revert CredentialRegistryCredentialSuspended(issuerAddress, root, index);
                _store(words.suspendedSlot, words.suspended |= mask);
                emit CredentialSuspended(issuerAddress, root, index, reason);
            } else {
                if (words.suspended & mask == 0) {
                    revert CredentialRegistryCredentialNotSuspended(issuerAddress, root, index);
                }
                _store(words.suspendedSlot, words.suspended &= ~mask);
                emit CredentialReinstated(issuerAddress, root, index, reason);
            }
            unchecked {
                ++i;
            }
        }
    }

    /// @dev The revocation loop: only the revocation list is read, and the word's slot and bits stay on the stack.
    function _revokeEach(
        address issuerAddress,
        bytes32 root,
        uint256[] calldata indices,
        uint8 reason,
        uint256 leafCount
    ) private {
        uint256 currentWord = type(uint256).max;
        uint256 slot;
        uint256 bits;
        for (uint256 i = 0; i < indices.length; ) {
            uint256 index = indices[i];
            if (index >= leafCount) {
                revert CredentialRegistryIndexOutOfRange(issuerAddress, root, index, uint32(leafCount));
            }
            if (index >> 8 != currentWord) {
                currentWord = index >> 8;
                slot = _statusSlot(issuerAddress, root, currentWord, _REVOKED);
                bits = _load(slot);
            }
            uint256 mask = 1 << (index & 0xff);
            if (bits & mask != 0) revert CredentialRegistryCredentialRevoked(issuerAddress, root, index);
            _store(slot, bits |= mask);
            emit CredentialRevoked(issuerAddress, root, index, reason);
            unchecked {
                ++i;
            }
        }
    }

    /// @dev The status words of one 256-index word, cached across consecutive indices.
    struct StatusWords {
        uint256 word;
        uint256 revoked;
        uint256 suspendedSlot;
        uint256 suspended;
    }

    function _loadStatusWords(StatusWords memory words, address issuerAddress, bytes32 root, uint256 word)
        private
        view
    {
        words.word = word;
        words.revoked = _statusWord(issuerAddress, root, word, _REVOKED);
        uint256 suspendedSlot = _statusSlot(issuerAddress, root, word, _SUSPENDED);
        words.suspendedSlot = suspendedSlot;
        words.suspended = _load(suspendedSlot);
    }

    function _issuerRecord(address issuerAddress) private pure returns (IssuerRecord storage record) {
        uint256 namespace = _ISSUERS;
        assembly ("memory-safe") {
            record.slot := add(namespace, shl(2, issuerAddress))
        }
    }

    function _batchSlot(address issuerAddress, bytes32 root) private pure returns (uint256 slot) {
        assembly ("memory-safe") {
            mstore(0x00, issuerAddress)
            mstore(0x20, root)
            slot := keccak256(0x0c, 0x34)
        }
    }

    function _batch(address issuerAddress, bytes32 root) private pure returns (Batch storage stored) {
        uint256 slot = _batchSlot(issuerAddress, root);
        assembly ("memory-safe") {
            stored.slot := slot
        }
    }

    function _decodeBatch(uint256 word) private pure returns (Batch memory) {
        return Batch({
            anchoredAt: uint40(word),
            leafCount: uint32(word >> 40),
            anchoredBlock: uint64(word >> 72),
            revokedAt: uint40(word >> 136),
            revocationReason: uint8(word >> 176)
        });
    }

    function _statusSlot(address issuerAddress, bytes32 root, uint256 word, uint256 list)
        private
        pure
        returns (uint256 slot)
    {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, issuerAddress)
            mstore(add(m, 0x20), root)
            mstore(add(m, 0x40), word)
            mstore8(add(m, 0x60), list)
            slot := keccak256(add(m, 0x0c), 0x55)
        }
    }

    function _statusWord(address issuerAddress, bytes32 root, uint256 word, uint256 list)
        private
        view
        returns (uint256)
    {
        return _load(_statusSlot(issuerAddress, root, word, list));
    }

    function _load(uint256 slot) private view returns (uint256 value) {
        assembly ("memory-safe") {
            value := sload(slot)
        }
    }

    function _store(uint256 slot, uint256 value) private {
        assembly ("memory-safe") {
            sstore(slot, value)
        }
    }

    /// @dev Slot 0 of an IssuerRecord: accreditedAt (bits 0..63) | deactivatedAt (64..127) | reason (128..135).
    function _issuerWord(address issuerAddress) private view returns (uint256 word) {
        IssuerRecord storage record = _issuerRecord(issuerAddress);
        assembly ("memory-safe") {
            word := sload(record.slot)
        }
    }

    function _requireActiveIssuer(address issuerAddress) private view {
        uint256 word = _issuerWord(issuerAddress);
        // Active <=> accredited and not deactivated <=> 0 < word < 2^64.
        unchecked {
            if (word - 1 < type(uint64).max) return;
        }
        if (word == 0) revert CredentialRegistryIssuerNotAccredited(issuerAddress);
        revert CredentialRegistryIssuerDeactivated(issuerAddress, uint64(word >> 64));
    }

    function _requireDeactivatedIssuer(address issuerAddress) private view {
        uint256 word = _issuerWord(issuerAddress);
        if (word == 0) revert CredentialRegistryIssuerNotAccredited(issuerAddress);
        if (uint64(word >> 64) == 0) revert CredentialRegistryIssuerActive(issuerAddress);
    }

    function _requireKnownReason(uint8 reason) private pure {
        if (reason > MAX_REASON) revert CredentialRegistryUnknownReason(reason, MAX_REASON);
    }

    /// @inheritdoc AccessControlDefaultAdminRules
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(ICredentialRegistry).interfaceId || super.supportsInterface(interfaceId);
    }
}
