'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useLocale, useTranslations } from 'next-intl';
import { useState } from 'react';
import { dayOf, previousDay } from '~/domain/calendar';
import { regionName } from '~/domain/regions';
import { useTRPC } from '~/app/_lib/trpc/react';
import { SeverityBadge, StatusBadge } from './Badges';
import { ruleLabel, shanghaiTime, toLang } from '~/app/_lib/format';
import styles from './records.module.css';
import { SupervisionStepForm } from './SupervisionStepForm';
import { incidentSummary } from '~/domain/incident-summary';

/** The last working day of a deadline (the deadline instant is 24:00 of it, Asia/Shanghai). */
export const lastDay = (dueAt: Date) => previousDay(dayOf(new Date(dueAt).getTime()));

/** The badge colour of each deadline state (globals.css `.badge.ok/.warn/.bad`). */
export const STATE_CLASS: Record<string, string> = {
  ontime: 'ok',
  closed: 'ok',
  yellow: 'warn',
  red: 'bad',
  late: 'bad',
};

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * 督办 of one incident: responsible department, deadline and its state, the step the viewer may
 * take now (交办 / 签收 / 反馈 / 审核), answers with their hashes, and the history.
 */
export function SupervisionPanel({
  id,
  canDirect,
  canAnswer,
  showIncident,
}: {
  id: number;
  canDirect: boolean;
  canAnswer: boolean;
  /** Department users cannot open the incident page: show its facts here. */
  showIncident: boolean;
}) {
  const t = useTranslations('supervision');
  const lang = toLang(useLocale());
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery(trpc.supervision.case.queryOptions({ id }));
  const [text, setText] = useState('');
  const [org, setOrg] = useState('');
  const [reason, setReason] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const onSuccess = () => {
    setText('');
    setReason('');
    setOrg('');
    setFiles([]);
    setError(null);
    void qc.invalidateQueries({ queryKey: trpc.supervision.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.incidents.pathKey() });
  };
  const onError = (e: { message: string }) => setError(e.message);
  const handOver = useMutation(trpc.supervision.handOver.mutationOptions({ onSuccess, onError }));
  const sign = useMutation(trpc.supervision.sign.mutationOptions({ onSuccess, onError }));
  const answer = useMutation(trpc.supervision.answer.mutationOptions({ onSuccess, onError }));
  const accept = useMutation(trpc.supervision.accept.mutationOptions({ onSuccess, onError }));
  const ret = useMutation(trpc.supervision.return.mutationOptions({ onSuccess, onError }));
  const busy = handOver.isPending || sign.isPending || answer.isPending || accept.isPending || ret.isPending;

  if (q.error) return <p className="panel error">{q.error.message}</p>;
  if (!q.data) return <p className="muted">…</p>;
  const { incident: i, derived, responsible, case: c, answers, history } = q.data;
  const stage = c?.stage ?? null;

  const submitAnswer = async () => {
    if (!text.trim()) return setError(t('answerText'));
    const attachments = await Promise.all(
      files.map(async (f) => ({
        filename: f.name,
        contentType: f.type || 'application/octet-stream',
        base64: await toBase64(f),
      })),
    );
    answer.mutate({ id, text: text.trim(), attachments });
  };

  return (
    <aside className="panel stack" data-testid="supervision" data-stage={stage ?? 'none'}>
      <h2>{t('panel')}</h2>
      {showIncident && (
        <dl className={styles.facts} data-testid="supervision-incident">
          <dt>{t('incident')}</dt>
          <dd>
            #{i.id} {ruleLabel(i.rule, lang)} <SeverityBadge severity={i.severity} />{' '}
            <StatusBadge status={i.status} />
          </dd>
          <dd>{incidentSummary(i, lang)}</dd>
          <dd>
            {regionName(i.regionCode, lang)} · {shanghaiTime(i.occurredAt)}
          </dd>
          {i.evidence.map((e) => (
            <dd key={`${e.blockNumber}:${e.logIndex}`} className="mono">
              #{e.blockNumber}/{e.logIndex} {e.txHash}
            </dd>
          ))}
        </dl>
      )}
      <dl className={styles.facts}>
        <dt>{t('responsible')}</dt>
        <dd data-testid="responsible">
          {responsible ? (
            <>
              {responsible.name} <span className="mono muted">{responsible.address}</span>{' '}
              <span className="muted">
                ({c?.responsibleSource === 'regulator' ? t('byRegulator') : t('derived')})
              </span>
            </>
          ) : derived ? (
            <>
              {derived.name} <span className="mono muted">{derived.address}</span>{' '}
              <span className="muted">({t('derived')})</span>
            </>
          ) : (
            t('noResponsible')
          )}
        </dd>
        <dt>{t('stage')}</dt>
        <dd data-testid="stage">{stage ? t(`stages.${stage}`) : t('notHandedOver')}</dd>
        {c && (
          <>
            <dt>{t('deadline')}</dt>
            <dd>
              {lastDay(c.dueAt)} · {t('days', { n: c.days })}
            </dd>
            <dt>{t('state')}</dt>
            <dd>
              <span className={`badge ${STATE_CLASS[c.state] ?? ''}`} data-testid="deadline-state">
                {t(`states.${c.state}`)}
              </span>
            </dd>
            <dt>{t('escalation')}</dt>
            <dd>
              {c.escalationLevel === 0 ? t('notEscalated') : t('level', { n: c.escalationLevel })} ·{' '}
              {c.supervisingRegion === null ? t('nation') : regionName(c.supervisingRegion, lang)}
            </dd>
          </>
        )}
      </dl>

      {canDirect && !c && i.status !== 'resolved' && i.status !== 'dismissed' && (
        <SupervisionStepForm
          label={t('instructions')}
          rows={3}
          value={text}
          onChange={setText}
          actions={[
            {
              label: t('handOver'),
              primary: true,
              disabled: busy || !text.trim(),
              onClick: () =>
                handOver.mutate({
                  id,
                  instructions: text.trim(),
                  responsibleOrg: org || undefined,
                  reason: reason.trim() || undefined,
                }),
            },
          ]}
        >
          <input
            aria-label={t('otherOrg')}
            placeholder={t('otherOrg')}
            className="mono"
            value={org}
            onChange={(e) => setOrg(e.target.value.trim())}
          />
          {org && (
            <input
              aria-label={t('reason')}
              placeholder={t('reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </SupervisionStepForm>
      )}

      {canAnswer && stage === 'assigned' && (
        <button type="button" className="primary" disabled={busy} onClick={() => sign.mutate({ id })}>
          {t('sign')}
        </button>
      )}

      {canAnswer && (stage === 'signed' || stage === 'returned') && (
        <SupervisionStepForm
          label={t('answerText')}
          rows={4}
          value={text}
          onChange={setText}
          actions={[
            { label: t('answer'), primary: true, disabled: busy, onClick: () => void submitAnswer() },
          ]}
        >
          <label>
            {t('attachments')}{' '}
            <input
              type="file"
              multiple
              aria-label={t('attachments')}
              onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
            />
          </label>
        </SupervisionStepForm>
      )}

      {canDirect && stage === 'answered' && (
        <SupervisionStepForm
          label={t('returnReason')}
          rows={2}
          value={reason}
          onChange={setReason}
          actions={[
            { label: t('accept'), primary: true, disabled: busy, onClick: () => accept.mutate({ id }) },
            {
              label: t('return'),
              disabled: busy || !reason.trim(),
              onClick: () => ret.mutate({ id, reason: reason.trim() }),
            },
          ]}
        />
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      {answers.length > 0 && (
        <div>
          <h3>{t('answers')}</h3>
          <ol className="stack" data-testid="answers">
            {answers.map((a) => (
              <li key={a.id}>
                <div>{a.text}</div>
                <div className="muted">
                  {a.actor} · {shanghaiTime(a.at)} · {t('digest')}{' '}
                  <span className="mono">{a.digest.slice(0, 16)}…</span>
                </div>
                {a.attachments.map((f) => (
                  <div key={f.id} className="muted">
                    📎 {f.filename} ({f.size} B) SHA-256{' '}
                    <span className="mono">{f.sha256.slice(0, 16)}…</span> SM3{' '}
                    <span className="mono">{f.sm3.slice(0, 16)}…</span>
                  </div>
                ))}
              </li>
            ))}
          </ol>
        </div>
      )}

      <div>
        <h3>{t('history')}</h3>
        <ol data-testid="supervision-history">
          {history.map((h) => (
            <li key={h.id}>
              <span className="muted">{shanghaiTime(h.at)}</span> {h.actor} · {h.action}
              {h.toStatus ? ` → ${h.toStatus}` : ''}
              {h.comment ? `: ${h.comment.split('\n')[0]}` : ''}
            </li>
          ))}
        </ol>
      </div>
      {showIncident && <Link href="/supervision">← {t('title')}</Link>}
    </aside>
  );
}
