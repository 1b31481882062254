import type { Address } from 'viem';
import type { ChainEvent } from '../events/types';
import type { Finding, StateView } from '../state/types';
import type { RuleSettings } from '../../domain/rules';
import { orgLabel } from './describe';
import { eventFinding } from './finding';

const ACTION_ZH: Partial<Record<ChainEvent['eventName'], string>> = {
  AccessGranted: '数据授权',
  DataAccessed: '数据访问',
  InvoiceIssued: '开具发票',
  InvoiceVoided: '作废发票',
  InvoiceReimbursed: '发票报销',
  CertificateIssued: '签发证照',
  CertificateRevoked: '吊销证照',
  CertificateVerified: '核验证照',
  CaseCompleted: '办结办件',
};

/** The acting addresses docs/rules.md names for each event, with the role a summary calls them. */
export function actorsOf(ev: ChainEvent): { role: string; address: Address }[] {
  switch (ev.eventName) {
    case 'AccessGranted':
      return [
        { role: '被授权方', address: ev.args.grantee },
        { role: '授权方', address: ev.args.grantor },
      ];
    case 'DataAccessed':
      return [{ role: '访问方', address: ev.args.accessor }];
    case 'InvoiceIssued':
      return [{ role: '开票方', address: ev.args.issuer }];
    case 'InvoiceVoided':
      return [{ role: '作废方', address: ev.args.issuer }];
    case 'InvoiceReimbursed':
      return [{ role: '报销单位', address: ev.args.claimant }];
    case 'CertificateIssued':
      return [{ role: '发证机关', address: ev.args.issuer }];
    case 'CertificateRevoked':
      return [{ role: '吊销机关', address: ev.args.issuer }];
    case 'CertificateVerified':
      return [{ role: '核验方', address: ev.args.verifier }];
    case 'CaseCompleted':
      return [{ role: '办理机构', address: ev.args.org }];
    default:
      return [];
  }
}

/**
 * UNREGISTERED_ACTOR: one finding per event naming every acting address that is not a registered,
 * active org just before the event. The first such actor is the incident's org (its region when it
 * was registered and later deactivated, else 0).
 */
export function unregisteredActor(ev: ChainEvent, state: StateView, _settings: RuleSettings): Finding | null {
  const seen = new Set<Address>();
  const offenders = actorsOf(ev).filter(({ address }) => {
    if (seen.has(address)) return false;
    seen.add(address);
    return state.org(address)?.active !== true;
  });
  const first = offenders[0];
  if (!first) return null;
  const named = offenders
    .map(({ role, address }) => {
      const org = state.org(address);
      return `${role} ${orgLabel(state, address)}${org ? '（已注销）' : '（未注册）'}`;
    })
    .join('，');
  return eventFinding(
    'UNREGISTERED_ACTOR',
    ev,
    state,
    first.address,
    `${ACTION_ZH[ev.eventName] ?? ev.eventName}：${named}`,
  );
}
