// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Consortium members: departments, enterprises, hospitals.
/// A ledger, not a gatekeeper: it records what the consortium operator reports.
/// Catching acts by unregistered or deactivated members is Lianjian's job.
contract OrgRegistry {
    event OrgRegistered(address indexed account, bytes32 indexed orgCode, uint32 regionCode, uint8 kind, string name);
    event OrgDeactivated(address indexed account);

    struct Org {
        address account;
        bytes32 orgCode;
        uint32 regionCode;
        uint8 kind;
        string name;
    }

    function register(address account, bytes32 orgCode, uint32 regionCode, uint8 kind, string calldata name) external {
        emit OrgRegistered(account, orgCode, regionCode, kind, name);
    }

    function registerBatch(Org[] calldata orgs) external {
        for (uint256 i = 0; i < orgs.length; i++) {
            Org calldata o = orgs[i];
            emit OrgRegistered(o.account, o.orgCode, o.regionCode, o.kind, o.name);
        }
    }

    function deactivate(address account) external {
        emit OrgDeactivated(account);
    }

    function deactivateBatch(address[] calldata accounts) external {
        for (uint256 i = 0; i < accounts.length; i++) {
            emit OrgDeactivated(accounts[i]);
        }
    }
}
