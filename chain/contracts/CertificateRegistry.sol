// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Electronic certificates and licences (电子证照): issue, revoke, verify.
/// Verifying a revoked certificate is recorded, not refused: oversight flags it.
contract CertificateRegistry {
    event CertificateIssued(bytes32 indexed certHash, address indexed issuer, uint16 certType, uint32 regionCode);
    event CertificateRevoked(bytes32 indexed certHash, address indexed issuer);
    event CertificateVerified(bytes32 indexed certHash, address indexed verifier);

    struct Issue {
        bytes32 certHash;
        address issuer;
        uint16 certType;
        uint32 regionCode;
    }

    struct Act {
        bytes32 certHash;
        address actor;
    }

    function issue(bytes32 certHash, address issuer, uint16 certType, uint32 regionCode) external {
        emit CertificateIssued(certHash, issuer, certType, regionCode);
    }

    function issueBatch(Issue[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            Issue calldata x = items[i];
            emit CertificateIssued(x.certHash, x.issuer, x.certType, x.regionCode);
        }
    }

    function revoke(bytes32 certHash, address issuer) external {
        emit CertificateRevoked(certHash, issuer);
    }

    function revokeBatch(Act[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            emit CertificateRevoked(items[i].certHash, items[i].actor);
        }
    }

    function verify(bytes32 certHash, address verifier) external {
        emit CertificateVerified(certHash, verifier);
    }

    function verifyBatch(Act[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            emit CertificateVerified(items[i].certHash, items[i].actor);
        }
    }
}
