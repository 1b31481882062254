/** Times display in Asia/Shanghai (DESIGN §1); the database stores UTC. */
export function shanghaiTime(d: Date | null | undefined): string {
  if (!d) return '';
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}
