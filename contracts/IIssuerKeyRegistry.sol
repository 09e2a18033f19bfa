// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICredentialRegistry} from "./ICredentialRegistry.sol";

/**
 * @title IIssuerKeyRegistry
 * @notice Binds the Ed25519 keys that sign an issuer's credentials (format v2, `eddsa-rdfc-2022`) to the issuer's
 * address in a {ICredentialRegistry}, with their history: added, retired (rotation: what was anchored before stays
 * valid) and revoked for compromise (what was anchored at or after `compromisedAt` is invalid).
 *
 * A companion of the credential registry rather than part of it, so that the registry's anchoring path (measured
 * against a fixed gas budget) is unchanged. Accreditation is read from the registry it was deployed for.
 *
 * A key is bound to at most one issuer, ever: nobody can claim another issuer's public key as their own. Every change
 * emits an event right after it, indexed by issuer and key, so that an auditor rebuilds each key's history from logs.
 *
 * Reason codes are the registry's (`docs/reason-codes.md`), 4 KeyCompromise being the usual one for a revocation.
 */
interface IIssuerKeyRegistry {
    /// @notice What the chain knows of a key. All zero for a key never added.
    struct SigningKey {
        /// @dev The issuer the key is bound to.
        address issuer;
        /// @dev Block time the key was added.
        uint40 addedAt;
        /// @dev Block time the key was retired; zero while in use.
        uint40 retiredAt;
        /// @dev From this time on, signatures by the key are not trusted; zero unless revoked.
        uint40 compromisedAt;
        /// @dev Block time of the revocation; zero unless revoked.
        uint40 revokedAt;
        /// @dev Reason code of the revocation.
        uint8 revocationReason;
    }

    // ------------------------------------------------------------------ events

    /// @notice `issuer` bound the Ed25519 public key `key` to itself.
    event SigningKeyAdded(address indexed issuer, bytes32 indexed key);

    /// @notice `issuer` stopped using `key` (rotation); what it anchored before stays valid.
    event SigningKeyRetired(address indexed issuer, bytes32 indexed key);

    /// @notice `actor` (the issuer, or an accreditor) revoked `key` of `issuer`: nothing anchored at or after
    /// `compromisedAt` that it signed is valid.
    event SigningKeyRevoked(address indexed issuer, bytes32 indexed key, uint40 compromisedAt, uint8 reason, address actor);

    // ------------------------------------------------------------------ errors

    /// @notice The caller is not an accredited, active issuer of the registry.
    error IssuerKeyRegistryNotActiveIssuer(address caller);

    /// @notice The zero key is not a key.
    error IssuerKeyRegistryInvalidKey(bytes32 key);

    /// @notice `key` is already bound (to `issuer`, who may be the caller).
    error IssuerKeyRegistryKeyAlreadyBound(bytes32 key, address issuer);

    /// @notice `key` was never added.
    error IssuerKeyRegistryUnknownKey(bytes32 key);

    /// @notice `caller` may not change `key`, which is bound to `issuer`.
    error IssuerKeyRegistryNotKeyIssuer(bytes32 key, address issuer, address caller);

    /// @notice `key` was already retired at `retiredAt`.
    error IssuerKeyRegistryKeyRetired(bytes32 key, uint40 retiredAt);

    /// @notice `key` was already revoked at `revokedAt`.
    error IssuerKeyRegistryKeyRevoked(bytes32 key, uint40 revokedAt);

    /// @notice `compromisedAt` must lie between the key's addition and now.
    error IssuerKeyRegistryInvalidCompromiseTime(bytes32 key, uint40 compromisedAt, uint40 addedAt, uint40 now);

    /// @notice `reason` is not a known reason code (0 to `maxReason`).
    error IssuerKeyRegistryUnknownReason(uint8 reason, uint8 maxReason);

    // ------------------------------------------------------------------ functions

    /// @notice The credential registry whose issuers this registry's keys belong to.
    function credentialRegistry() external view returns (ICredentialRegistry);

    /// @notice Binds `key` (an Ed25519 public key) to the caller, an accredited and active issuer.
    /// @dev Reverts with {IssuerKeyRegistryNotActiveIssuer}, {IssuerKeyRegistryInvalidKey} or
    /// {IssuerKeyRegistryKeyAlreadyBound}. Emits {SigningKeyAdded}.
    function addSigningKey(bytes32 key) external;

    /// @notice Retires the caller's `key`: it signs nothing new; what was anchored before stays valid.
    /// @dev Allowed after the issuer's deactivation too. Emits {SigningKeyRetired}.
    function retireSigningKey(bytes32 key) external;

    /// @notice Revokes `key` as compromised since `compromisedAt` (between its addition and now). The key's issuer may
    /// call it at any time (also when retired or deactivated), and so may an accreditor of the credential registry.
    /// @dev Emits {SigningKeyRevoked}.
    function revokeSigningKey(bytes32 key, uint40 compromisedAt, uint8 reason) external;

    /// @notice The record of `key` (all zero if never added).
    function signingKey(bytes32 key) external view returns (SigningKey memory);
}
