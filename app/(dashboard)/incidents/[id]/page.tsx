import { Placeholder } from '../../../_components/Placeholder';
import { requireCaller } from '../../../_lib/session';

// Placeholder: the incidents engineer replaces this body.
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  await requireCaller();
  const { id } = await params;
  return <Placeholder titleKey="incidents" detail={`#${id.slice(0, 20)}`} />;
}
