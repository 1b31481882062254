// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Data catalogue, grants and every access (政务数据共享).
/// Records what members report and refuses nothing: an access outside its grant is still
/// written, so that oversight can see it.
contract DataSharing {
    event DatasetRegistered(bytes32 indexed datasetId, address indexed owner, uint16 category, uint8 sensitivity, string title);
    event AccessGranted(bytes32 indexed grantId, bytes32 indexed datasetId, address indexed grantee, address grantor, uint16 purpose, uint8 modes, uint64 validUntil);
    event AccessRevoked(bytes32 indexed grantId, address indexed revokedBy);
    event DataAccessed(bytes32 indexed grantId, bytes32 indexed datasetId, address indexed accessor, uint8 mode, uint16 purpose, uint32 recordCount, bytes32 payloadHash);

    struct Dataset {
        bytes32 datasetId;
        address owner;
        uint16 category;
        uint8 sensitivity;
        string title;
    }

    struct Grant {
        bytes32 grantId;
        bytes32 datasetId;
        address grantee;
        address grantor;
        uint16 purpose;
        uint8 modes;
        uint64 validUntil;
    }

    struct Revocation {
        bytes32 grantId;
        address revokedBy;
    }

    struct Access {
        bytes32 grantId;
        bytes32 datasetId;
        address accessor;
        uint8 mode;
        uint16 purpose;
        uint32 recordCount;
        bytes32 payloadHash;
    }

    function registerDataset(bytes32 datasetId, address owner, uint16 category, uint8 sensitivity, string calldata title) external {
        emit DatasetRegistered(datasetId, owner, category, sensitivity, title);
    }

    function registerDatasetBatch(Dataset[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            Dataset calldata d = items[i];
            emit DatasetRegistered(d.datasetId, d.owner, d.category, d.sensitivity, d.title);
        }
    }

    function grantAccess(bytes32 grantId, bytes32 datasetId, address grantee, address grantor, uint16 purpose, uint8 modes, uint64 validUntil) external {
        emit AccessGranted(grantId, datasetId, grantee, grantor, purpose, modes, validUntil);
    }

    function grantAccessBatch(Grant[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            Grant calldata g = items[i];
            emit AccessGranted(g.grantId, g.datasetId, g.grantee, g.grantor, g.purpose, g.modes, g.validUntil);
        }
    }

    function revokeAccess(bytes32 grantId, address revokedBy) external {
        emit AccessRevoked(grantId, revokedBy);
    }

    function revokeAccessBatch(Revocation[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            emit AccessRevoked(items[i].grantId, items[i].revokedBy);
        }
    }

    function recordAccess(bytes32 grantId, bytes32 datasetId, address accessor, uint8 mode, uint16 purpose, uint32 recordCount, bytes32 payloadHash) external {
        emit DataAccessed(grantId, datasetId, accessor, mode, purpose, recordCount, payloadHash);
    }

    function recordAccessBatch(Access[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            Access calldata a = items[i];
            emit DataAccessed(a.grantId, a.datasetId, a.accessor, a.mode, a.purpose, a.recordCount, a.payloadHash);
        }
    }
}
