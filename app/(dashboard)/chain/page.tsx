import { Placeholder } from '../../_components/Placeholder';
import { requireCaller } from '../../_lib/session';

// Placeholder: the dashboard engineer replaces this body.
export default async function Page() {
  await requireCaller();
  return <Placeholder titleKey="chain" />;
}
