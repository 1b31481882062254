// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Government service catalogue and completed cases (办件).
contract ServiceLedger {
    event ServiceItemListed(uint32 indexed regionCode, uint32 indexed itemCode, uint8 onlineLevel);
    event CaseCompleted(bytes32 indexed caseId, address indexed org, uint32 indexed regionCode, uint32 itemCode, uint8 channel, uint8 orgsInvolved, uint32 durationMinutes);

    struct Item {
        uint32 regionCode;
        uint32 itemCode;
        uint8 onlineLevel;
    }

    struct Case {
        bytes32 caseId;
        address org;
        uint32 regionCode;
        uint32 itemCode;
        uint8 channel;
        uint8 orgsInvolved;
        uint32 durationMinutes;
    }

    function listItem(uint32 regionCode, uint32 itemCode, uint8 onlineLevel) external {
        emit ServiceItemListed(regionCode, itemCode, onlineLevel);
    }

    function listItemBatch(Item[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            emit ServiceItemListed(items[i].regionCode, items[i].itemCode, items[i].onlineLevel);
        }
    }

    function completeCase(bytes32 caseId, address org, uint32 regionCode, uint32 itemCode, uint8 channel, uint8 orgsInvolved, uint32 durationMinutes) external {
        emit CaseCompleted(caseId, org, regionCode, itemCode, channel, orgsInvolved, durationMinutes);
    }

    function completeCaseBatch(Case[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            Case calldata c = items[i];
            emit CaseCompleted(c.caseId, c.org, c.regionCode, c.itemCode, c.channel, c.orgsInvolved, c.durationMinutes);
        }
    }
}
