'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocale, useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { regionName } from '../../../domain/regions';
import { ROLES, type Role } from '../../../server/permissions';
import { formText } from '../../_lib/form';
import { useTRPC } from '../../_lib/trpc/react';
import styles from '~/app/_components/forms.module.css';
import { parseRegion, RegionSelect } from '~/app/_components/RegionSelect';

export function UsersPanel({ selfId }: { selfId: string }) {
  const t = useTranslations();
  const en = useLocale() === 'en';
  const trpc = useTRPC();
  const qc = useQueryClient();
  const users = useQuery(trpc.admin.users.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
  const create = useMutation(trpc.admin.users.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.admin.users.updateAccess.mutationOptions({ onSuccess: refresh }));
  const disable = useMutation(trpc.admin.users.setDisabled.mutationOptions({ onSuccess: refresh }));
  const [edits, setEdits] = useState<Record<string, { role?: Role; region?: string }>>({});

  const onCreate = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    create.mutate(
      {
        email: formText(f, 'email'),
        name: formText(f, 'name') || undefined,
        password: formText(f, 'password'),
        role: f.get('role') as Role,
        regionCode: parseRegion(f.get('region')),
      },
      { onSuccess: () => form.reset() },
    );
  };
  const error = create.error ?? update.error ?? disable.error;

  return (
    <div className="stack">
      <form className={`panel ${styles.form}`} onSubmit={onCreate}>
        <label>
          {t('admin.email')}
          <input name="email" type="email" required />
        </label>
        <label>
          {t('admin.name')}
          <input name="name" maxLength={100} />
        </label>
        <label>
          {t('admin.password')}
          <input name="password" type="password" minLength={10} required autoComplete="new-password" />
        </label>
        <label>
          {t('admin.role')}
          <select name="role" defaultValue="regulator">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.region')}
          <RegionSelect
            scope={null}
            allLabel={t('common.nationwide')}
            name="region"
            defaultValue=""
            showCodes
          />
        </label>
        <button className="primary" type="submit" disabled={create.isPending}>
          {t('admin.createUser')}
        </button>
      </form>
      {error && <p className="error">{error.message}</p>}
      <div className={styles.tableWrap}>
        <table>
          <thead>
            <tr>
              <th>{t('admin.email')}</th>
              <th>{t('admin.name')}</th>
              <th>{t('admin.role')}</th>
              <th>{t('admin.region')}</th>
              <th>{t('admin.twoFactor')}</th>
              <th>{t('admin.status')}</th>
              <th>{t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.isPending && (
              <tr>
                <td colSpan={7} className="muted">
                  {t('common.loading')}
                </td>
              </tr>
            )}
            {users.data?.map((u) => {
              const edit = edits[u.id] ?? {};
              const dirty = edit.role !== undefined || edit.region !== undefined;
              return (
                <tr key={u.id}>
                  <td>{u.email}</td>
                  <td>{u.name}</td>
                  <td>
                    <select
                      value={edit.role ?? u.role}
                      onChange={(e) =>
                        setEdits({ ...edits, [u.id]: { ...edit, role: e.target.value as Role } })
                      }
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`roles.${r}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <RegionSelect
                      scope={null}
                      allLabel={t('common.nationwide')}
                      showCodes
                      value={edit.region ?? (u.regionCode === null ? '' : String(u.regionCode))}
                      onChange={(v) => setEdits({ ...edits, [u.id]: { ...edit, region: v } })}
                    />
                    <div className="muted">
                      {u.regionCode === null
                        ? t('common.nationwide')
                        : regionName(u.regionCode, en ? 'en' : 'zh')}
                    </div>
                  </td>
                  <td>
                    <span className={`badge ${u.twoFactorEnabled ? 'ok' : ''}`}>
                      {u.twoFactorEnabled ? t('admin.enabled') : t('admin.notEnabled')}
                    </span>
                  </td>
                  <td>
                    <span className={`badge ${u.disabled ? 'off' : 'ok'}`}>
                      {u.disabled ? t('admin.disabled') : t('admin.active')}
                    </span>
                  </td>
                  <td>
                    <div className="row">
                      <button
                        disabled={!dirty || update.isPending}
                        onClick={() =>
                          update.mutate(
                            {
                              userId: u.id,
                              ...(edit.role !== undefined ? { role: edit.role } : {}),
                              ...(edit.region !== undefined ? { regionCode: parseRegion(edit.region) } : {}),
                            },
                            { onSuccess: () => setEdits(({ [u.id]: _done, ...rest }) => rest) },
                          )
                        }
                      >
                        {t('common.save')}
                      </button>
                      {u.id !== selfId && (
                        <button onClick={() => disable.mutate({ userId: u.id, disabled: !u.disabled })}>
                          {u.disabled ? t('admin.enable') : t('admin.disable')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
