import { rpc } from '../helpers/anvil';
import { addr, basicScenario, id, type Scenario } from '../helpers/scenario';

/**
 * The dashboard's chain: basicScenario (Guangzhou, Shenzhen, Hangzhou on day D) plus more orgs,
 * flows and cases across three cities, then the chain clock moves 8 days on and a second burst
 * follows, so periods and "previous period" comparisons have data on both sides.
 */
export async function dashboardScenario(s: Scenario, rpcUrl: string) {
  const base = await basicScenario(s);
  const civil = addr('gz-civil');
  const market = addr('sz-market');
  const hzTax = addr('hz-tax');
  await s.registerOrg(civil, 440106, 2, '广州市天河区民政局');
  await s.registerOrg(market, 440300, 6, '深圳市市场监督管理局');
  await s.registerOrg(hzTax, 330100, 5, '杭州市税务局');
  const dsHz = id('ds-hz-entities');
  await s.registerDataset(dsHz, base.hz, 2, 2, '杭州市法人基本信息');
  const gCivil = id('grant-civil');
  const gMarket = id('grant-market');
  const gHz = id('grant-hz');
  const far = 4102444800n;
  await s.grant({
    grantId: gCivil,
    datasetId: base.ds,
    grantee: civil,
    grantor: base.police,
    purpose: 2,
    modes: 1 | 2,
    validUntil: far,
  });
  await s.grant({
    grantId: gMarket,
    datasetId: base.ds,
    grantee: market,
    grantor: base.police,
    purpose: 5,
    modes: 4 | 8,
    validUntil: far,
  });
  await s.grant({
    grantId: gHz,
    datasetId: dsHz,
    grantee: hzTax,
    grantor: base.hz,
    purpose: 4,
    modes: 2 | 4,
    validUntil: far,
  });
  const firstBurst = [
    {
      grantId: gCivil,
      datasetId: base.ds,
      accessor: civil,
      mode: 1,
      purpose: 2,
      recordCount: 40,
      payloadHash: id('c1'),
    },
    {
      grantId: gCivil,
      datasetId: base.ds,
      accessor: civil,
      mode: 2,
      purpose: 2,
      recordCount: 60,
      payloadHash: id('c2'),
    },
    {
      grantId: gMarket,
      datasetId: base.ds,
      accessor: market,
      mode: 8,
      purpose: 5,
      recordCount: 7,
      payloadHash: id('m1'),
    },
    {
      grantId: gHz,
      datasetId: dsHz,
      accessor: hzTax,
      mode: 2,
      purpose: 4,
      recordCount: 900,
      payloadHash: id('h1'),
    },
  ];
  await s.accessBatch(firstBurst);
  await s.listItem(440100, 1002, 1);
  await s.listItem(440300, 2001, 2);
  await s.listItem(330100, 3001, 0);
  let k = 0;
  const kase = (org: `0x${string}`, regionCode: number, channel: number, orgsInvolved = 1) =>
    s.completeCase({
      caseId: id(`case-x${++k}`),
      org,
      regionCode,
      itemCode: 1001,
      channel,
      orgsInvolved,
      durationMinutes: 30 + k,
    });
  await kase(base.police, 440100, 1);
  await kase(civil, 440106, 2);
  await kase(market, 440300, 3, 3);
  await kase(hzTax, 330100, 1);

  // Eight days later: a second burst (the "current" week of a 7-day period).
  await rpc(rpcUrl, 'evm_increaseTime', [8 * 86_400]);
  const secondBurst = [
    {
      grantId: base.g,
      datasetId: base.ds,
      accessor: base.tax,
      mode: 2,
      purpose: 4,
      recordCount: 300,
      payloadHash: id('t9'),
    },
    {
      grantId: gCivil,
      datasetId: base.ds,
      accessor: civil,
      mode: 2,
      purpose: 2,
      recordCount: 25,
      payloadHash: id('c9'),
    },
    {
      grantId: gHz,
      datasetId: dsHz,
      accessor: hzTax,
      mode: 4,
      purpose: 4,
      recordCount: 1200,
      payloadHash: id('h9'),
    },
  ];
  await s.accessBatch(secondBurst);
  await kase(base.police, 440100, 2, 2);
  await kase(civil, 440106, 3);
  await kase(civil, 440106, 1);
  await kase(hzTax, 330100, 2);
  const records = (xs: readonly { recordCount: number }[]) => xs.reduce((n, x) => n + x.recordCount, 0);
  return {
    ...base,
    civil,
    market,
    hzTax,
    dsHz,
    gCivil,
    gMarket,
    gHz,
    /** Records accessed on day D (basicScenario's and the first burst) and eight days later. */
    records: { dayD: records(base.accesses) + records(firstBurst), dayD8: records(secondBurst) },
  };
}
