import { router } from '../trpc';
import { adminAuditRouter } from './admin-audit';
import { adminTokensRouter } from './admin-tokens';
import { adminUsersRouter } from './admin-users';

export const adminRouter = router({
  users: adminUsersRouter,
  tokens: adminTokensRouter,
  audit: adminAuditRouter,
});
