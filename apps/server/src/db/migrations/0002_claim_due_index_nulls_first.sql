DROP INDEX "ebay_tokens_due_idx";--> statement-breakpoint
CREATE INDEX "ebay_tokens_due_idx" ON "ebay_tokens" USING btree ("access_expires_at" NULLS FIRST);