import { Placeholder } from '../../../_components/Placeholder';
import { requireCaller } from '../../../_lib/session';

// Placeholder: the dashboard engineer replaces this body.
export default async function Page({ params }: { params: Promise<{ address: string }> }) {
  await requireCaller();
  const { address } = await params;
  return <Placeholder titleKey="orgs" detail={address.slice(0, 42)} />;
}
