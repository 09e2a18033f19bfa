// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ICredentialRegistry} from "./ICredentialRegistry.sol";
import {IIssuerKeyRegistry} from "./IIssuerKeyRegistry.sol";

/**
 * @title IssuerKeyRegistry
 * @notice See {IIssuerKeyRegistry}. Not upgradeable, no admin of its own: who may act is decided by the credential
 * registry (accredited issuers, and its `ACCREDITOR_ROLE`).
 */
contract IssuerKeyRegistry is IIssuerKeyRegistry {
    ICredentialRegistry private immutable _registry;
    bytes32 private immutable _accreditorRole;
    uint8 private immutable _maxReason;

    mapping(bytes32 key => SigningKey) private _keys;

    /**
     * @dev Created by the credential registry's constructor (its first contract creation), so that its address follows
     * from the registry's: verifiers that trust a registry need no second address. The registry has no code yet
     * while this runs, hence its role and reason limit are passed in rather than read.
     * @param registry The credential registry whose issuers and accreditors this registry follows.
     * @param accreditorRole The registry's `ACCREDITOR_ROLE`.
     * @param maxReason The registry's `MAX_REASON`.
     */
    constructor(ICredentialRegistry registry, bytes32 accreditorRole, uint8 maxReason) {
        _registry = registry;
        _accreditorRole = accreditorRole;
        _maxReason = maxReason;
    }

    /// @inheritdoc IIssuerKeyRegistry
    function credentialRegistry() external view returns (ICredentialRegistry) {
        return _registry;
    }

    /// @inheritdoc IIssuerKeyRegistry
    function addSigningKey(bytes32 key) external {
        ICredentialRegistry.Issuer memory record = _registry.issuer(msg.sender);
        if (record.accreditedAt == 0 || record.deactivatedAt != 0) revert IssuerKeyRegistryNotActiveIssuer(msg.sender);
        if (key == bytes32(0)) revert IssuerKeyRegistryInvalidKey(key);
        SigningKey storage stored = _keys[key];
        if (stored.issuer != address(0)) revert IssuerKeyRegistryKeyAlreadyBound(key, stored.issuer);
        stored.issuer = msg.sender;
        stored.addedAt = uint40(block.timestamp);
        emit SigningKeyAdded(msg.sender, key);
    }

    /// @inheritdoc IIssuerKeyRegistry
    function retireSigningKey(bytes32 key) external {
        SigningKey storage stored = _keyOf(key);
        if (stored.issuer != msg.sender) revert IssuerKeyRegistryNotKeyIssuer(key, stored.issuer, msg.sender);
        if (stored.revokedAt != 0) revert IssuerKeyRegistryKeyRevoked(key, stored.revokedAt);
        if (stored.retiredAt != 0) revert IssuerKeyRegistryKeyRetired(key, stored.retiredAt);
        stored.retiredAt = uint40(block.timestamp);
        emit SigningKeyRetired(msg.sender, key);
    }

    /// @inheritdoc IIssuerKeyRegistry
    function revokeSigningKey(bytes32 key, uint40 compromisedAt, uint8 reason) external {
        SigningKey storage stored = _keyOf(key);
        address keyIssuer = stored.issuer;
        if (keyIssuer != msg.sender && !IAccessControl(address(_registry)).hasRole(_accreditorRole, msg.sender)) {
            revert IssuerKeyRegistryNotKeyIssuer(key, keyIssuer, msg.sender);
        }
        if (stored.revokedAt != 0) revert IssuerKeyRegistryKeyRevoked(key, stored.revokedAt);
        if (reason > _maxReason) revert IssuerKeyRegistryUnknownReason(reason, _maxReason);
        uint40 now_ = uint40(block.timestamp);
        if (compromisedAt < stored.addedAt || compromisedAt > now_) {
            revert IssuerKeyRegistryInvalidCompromiseTime(key, compromisedAt, stored.addedAt, now_);
        }
        stored.compromisedAt = compromisedAt;
        stored.revokedAt = now_;
        stored.revocationReason = reason;
        emit SigningKeyRevoked(keyIssuer, key, compromisedAt, reason, msg.sender);
    }

    /// @inheritdoc IIssuerKeyRegistry
    function signingKey(bytes32 key) external view returns (SigningKey memory) {
        return _keys[key];
    }

    function _keyOf(bytes32 key) private view returns (SigningKey storage stored) {
        stored = _keys[key];
        if (stored.issuer == address(0)) revert IssuerKeyRegistryUnknownKey(key);
    }
}
