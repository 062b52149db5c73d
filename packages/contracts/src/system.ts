import { z } from 'zod';

// GET /healthz
export const healthResponse = z.object({
  status: z.enum(['ok', 'error']),
  database: z.enum(['ok', 'unreachable']),
});
export type Health = z.infer<typeof healthResponse>;
