import styles from './shell.module.css';

/**
 * A link past what a keyboard user would otherwise Tab through (the menu, a page's filters): off
 * screen until it has the focus. Its target needs `tabIndex={-1}` so the focus lands there.
 */
export function SkipLink({ href, children }: { href: `#${string}`; children: React.ReactNode }) {
  return (
    <a href={href} className={styles.skip}>
      {children}
    </a>
  );
}
