// Prisma CLI configuration. The URL is read from the environment directly (Prisma's env() throws when unset,
// and `prisma generate` needs no database at all).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/inbox' },
});
