'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';

/** Old-style copy for pages served without a secure context (no navigator.clipboard there). */
function copyBySelection(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  return ok;
}

/**
 * Copies `text` and says so on the button ("已复制" / "Copied") until another text is shown:
 * a state that stays put, so the reader (and a test) need not catch a passing flash.
 */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const t = useTranslations('common');
  const [state, setState] = useState<{ text: string; ok: boolean } | null>(null);
  const copy = async () => {
    let ok: boolean;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      ok = copyBySelection(text);
    }
    setState({ text, ok });
  };
  const shown = state?.text === text ? state : null;
  return (
    <button
      type="button"
      onClick={() => void copy()}
      data-testid="copy"
      data-copied={shown?.ok === true}
      aria-label={shown ? undefined : label}
    >
      <span aria-live="polite">{shown ? (shown.ok ? `✓ ${t('copied')}` : t('copyFailed')) : t('copy')}</span>
    </button>
  );
}
