// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// E-invoices (电子发票): issue, reimburse, void. Amounts are in fen (分).
/// A second reimbursement of one invoice (一票多报) is recorded, not refused: oversight flags it.
contract InvoiceLedger {
    event InvoiceIssued(bytes32 indexed invoiceHash, address indexed issuer, uint32 regionCode, uint256 amountFen);
    event InvoiceReimbursed(bytes32 indexed invoiceHash, address indexed claimant, uint256 amountFen);
    event InvoiceVoided(bytes32 indexed invoiceHash, address indexed issuer);

    struct Issue {
        bytes32 invoiceHash;
        address issuer;
        uint32 regionCode;
        uint256 amountFen;
    }

    struct Reimbursement {
        bytes32 invoiceHash;
        address claimant;
        uint256 amountFen;
    }

    struct Void {
        bytes32 invoiceHash;
        address issuer;
    }

    function issue(bytes32 invoiceHash, address issuer, uint32 regionCode, uint256 amountFen) external {
        emit InvoiceIssued(invoiceHash, issuer, regionCode, amountFen);
    }

    function issueBatch(Issue[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            Issue calldata x = items[i];
            emit InvoiceIssued(x.invoiceHash, x.issuer, x.regionCode, x.amountFen);
        }
    }

    function reimburse(bytes32 invoiceHash, address claimant, uint256 amountFen) external {
        emit InvoiceReimbursed(invoiceHash, claimant, amountFen);
    }

    function reimburseBatch(Reimbursement[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            emit InvoiceReimbursed(items[i].invoiceHash, items[i].claimant, items[i].amountFen);
        }
    }

    function voidInvoice(bytes32 invoiceHash, address issuer) external {
        emit InvoiceVoided(invoiceHash, issuer);
    }

    function voidBatch(Void[] calldata items) external {
        for (uint256 i = 0; i < items.length; i++) {
            emit InvoiceVoided(items[i].invoiceHash, items[i].issuer);
        }
    }
}
