'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import styles from './shell.module.css';

export interface NavItem {
  href: string;
  label: string;
}

/** The left navigation; highlights the section of the current route. */
export function NavLinks({ items }: { items: NavItem[] }) {
  const path = usePathname();
  const active = (href: string) =>
    href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
  return (
    <nav className={styles.nav}>
      {items.map((i) => (
        <Link
          key={i.href}
          href={i.href}
          className={active(i.href) ? styles.active : undefined}
          aria-current={active(i.href) ? 'page' : undefined}
        >
          {i.label}
        </Link>
      ))}
    </nav>
  );
}
