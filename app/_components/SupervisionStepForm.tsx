'use client';
import type { ReactNode } from 'react';
import styles from './records.module.css';

export interface StepAction {
  label: string;
  onClick: () => void;
  disabled: boolean;
  primary?: boolean;
}

/**
 * One step of the 督办 panel that takes text (交办 instructions, 反馈 answer, 审核 reasons): the
 * text, anything the step adds (a department, attachments), and the step's buttons.
 */
export function SupervisionStepForm({
  label,
  rows,
  value,
  onChange,
  actions,
  children,
}: {
  label: string;
  rows: number;
  value: string;
  onChange: (v: string) => void;
  actions: StepAction[];
  children?: ReactNode;
}) {
  return (
    <div className="stack">
      <textarea
        aria-label={label}
        placeholder={label}
        rows={rows}
        className={styles.wide}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {children}
      <div className="row">
        {actions.map((a) => (
          <button
            key={a.label}
            type="button"
            className={a.primary ? 'primary' : undefined}
            disabled={a.disabled}
            onClick={a.onClick}
          >
            {a.label}
          </button>
        ))}
      </div>
    </div>
  );
}
