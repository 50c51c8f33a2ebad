-- CreateEnum
CREATE TYPE "Priority" AS ENUM ('urgent', 'high', 'normal', 'low');

-- CreateEnum
CREATE TYPE "Intent" AS ENUM ('account_compromised', 'payment_failed', 'forgot_password', 'security_question', 'other');

-- CreateEnum
CREATE TYPE "MessageKind" AS ENUM ('message', 'guard_advice', 'guard_warning');

-- DropIndex
DROP INDEX "Conversation_flagged_lastMessageAt_idx";

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "firstRespondedAt" TIMESTAMP(3),
ADD COLUMN     "firstResponseDueAt" TIMESTAMP(3),
ADD COLUMN     "intent" "Intent" NOT NULL DEFAULT 'other';

-- The old numeric priority (0 = none, higher = more pressing) maps onto the named levels.
ALTER TABLE "Conversation" ALTER COLUMN "priority" DROP DEFAULT;
ALTER TABLE "Conversation" ALTER COLUMN "priority" TYPE "Priority"
  USING (CASE WHEN "priority" >= 3 THEN 'urgent' WHEN "priority" = 2 THEN 'high' WHEN "priority" = 1 THEN 'normal' WHEN "priority" < 0 THEN 'low' ELSE 'normal' END)::"Priority";
ALTER TABLE "Conversation" ALTER COLUMN "priority" SET DEFAULT 'normal';
-- A public leak the guard flagged is urgent.
UPDATE "Conversation" SET "priority" = 'urgent' WHERE "flagged" AND "visibility" = 'public';

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "kind" "MessageKind" NOT NULL DEFAULT 'message';
-- Public warnings by the guard were stored as unattributed outbound messages named "Guard".
UPDATE "Message" SET "kind" = 'guard_warning' WHERE "direction" = 'outbound' AND "sentById" IS NULL AND "authorName" = 'Guard';

-- AlterTable
ALTER TABLE "CannedResponse" ADD COLUMN     "language" TEXT NOT NULL DEFAULT 'en',
ADD COLUMN     "shortcut" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "CannedResponse" SET "shortcut" = 'reply-' || left("id", 8);
ALTER TABLE "CannedResponse" ALTER COLUMN "shortcut" SET NOT NULL, ALTER COLUMN "language" DROP DEFAULT, ALTER COLUMN "updatedAt" DROP DEFAULT;

-- CreateTable
CREATE TABLE "Note" (
    "id" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "authorId" TEXT,
    "authorName" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Note_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Note_conversationId_createdAt_idx" ON "Note"("conversationId", "createdAt");

-- CreateIndex
CREATE INDEX "Conversation_priority_flagged_lastMessageAt_id_idx" ON "Conversation"("priority", "flagged" DESC, "lastMessageAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Conversation_contactId_idx" ON "Conversation"("contactId");

-- CreateIndex
CREATE UNIQUE INDEX "CannedResponse_shortcut_language_key" ON "CannedResponse"("shortcut", "language");

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Note" ADD CONSTRAINT "Note_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Search (GET /api/conversations with q): substring matches on contact names, handles and masked message text,
-- in any script. Trigram indexes make ILIKE substring matches fast, and CJK characters count as word characters.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Message_text_trgm_idx" ON "Message" USING gin ("text" gin_trgm_ops);
CREATE INDEX "Contact_displayName_trgm_idx" ON "Contact" USING gin ("displayName" gin_trgm_ops);
CREATE INDEX "Contact_handle_trgm_idx" ON "Contact" USING gin ("handle" gin_trgm_ops);

-- Canned responses from the support FAQ, in English and simplified Chinese. Admins edit or delete them freely,
-- and this runs once, so a deleted answer stays deleted.
INSERT INTO "CannedResponse" ("id", "shortcut", "language", "title", "text", "updatedAt") VALUES
(gen_random_uuid()::text, 'stolen', 'en', 'Account stolen or compromised',
'I''m sorry this happened. Please act now, in this order:
1. Freeze your account at once: in the app go to Me > Security > Freeze account, or tell us here and we will freeze it for you.
2. Change your password from a device you trust.
3. Turn on two-factor authentication (Me > Security > Two-factor).
4. Report the theft to the police and keep the evidence: screenshots, transaction ids, dates and any messages from the person involved.
We will never ask for your recovery phrase, private key, password or codes.', now()),
(gen_random_uuid()::text, 'stolen', 'zh', '账户被盗或被入侵',
'很抱歉发生这样的事。请立即按以下顺序操作：
1. 立即冻结账户：在 App 中进入「我的 > 安全 > 冻结账户」，或在这里告诉我们，我们会为您冻结。
2. 在您信任的设备上修改密码。
3. 开启双重验证（「我的 > 安全 > 双重验证」）。
4. 向警方报案并保留证据：截图、交易编号、时间以及对方发来的任何信息。
我们绝不会索要您的助记词、私钥、密码或验证码。', now()),
(gen_random_uuid()::text, 'password', 'en', 'Forgotten password',
'To reset your password:
1. On the sign-in screen, tap "Forgot password".
2. Enter the code we send to your registered email or phone by SMS.
3. Choose a strong password you do not use anywhere else.
4. Then turn on two-factor authentication (Me > Security > Two-factor).
Beware of phishing: only use the official app or website, and never share the code with anyone, including us.', now()),
(gen_random_uuid()::text, 'password', 'zh', '忘记密码',
'重置密码的步骤：
1. 在登录页点击「忘记密码」。
2. 输入我们发送到您注册邮箱或手机短信的验证码。
3. 设置一个强密码，不要与其他网站重复。
4. 然后开启双重验证（「我的 > 安全 > 双重验证」）。
谨防钓鱼：只使用官方 App 或官网，不要把验证码告诉任何人，包括我们。', now()),
(gen_random_uuid()::text, 'payment', 'en', 'Failed payment or top-up not credited',
'Sorry for the trouble with your payment. So that we can trace it, please send us:
- the time of the payment (with your time zone),
- the amount and currency,
- the payment method (card, bank transfer, ...),
- the transaction id shown in the app or on your receipt.
Meanwhile, please check your balance in the app and that your payment method is valid. If you paid a merchant, their side may still be processing it. Please do not send us card numbers, passwords or codes.', now()),
(gen_random_uuid()::text, 'payment', 'zh', '支付失败或充值未到账',
'很抱歉您的支付遇到问题。为便于我们查询，请提供：
- 支付时间（含时区），
- 金额和币种，
- 支付方式（银行卡、银行转账等），
- App 或收据上显示的交易编号。
同时请在 App 中查看余额，并确认支付方式有效。如果是向商户付款，商户一方可能仍在处理中。请不要向我们发送银行卡号、密码或验证码。', now()),
(gen_random_uuid()::text, 'security', 'en', 'Security advice',
'A few habits keep your wallet safe:
- Use a strong password that you use nowhere else.
- Turn on two-factor authentication.
- Contact us only through our official channels: the app, our website and our verified accounts.
- Never share your recovery phrase, private key, password or codes with anyone.', now()),
(gen_random_uuid()::text, 'security', 'zh', '安全建议',
'以下习惯能保护您的钱包安全：
- 使用一个强密码，并且不在其他地方使用。
- 开启双重验证。
- 只通过官方渠道联系我们：App、官网和经过认证的官方账号。
- 无论对方是谁，都不要提供助记词、私钥、密码或验证码。', now()),
(gen_random_uuid()::text, 'never', 'en', 'We never ask for secrets',
'Please note: we will never ask for your recovery phrase, private key, password or codes, in public or in private. Anyone who asks for them is not us. If you have shared any of them, tell us at once so we can help you secure your account.', now()),
(gen_random_uuid()::text, 'never', 'zh', '我们绝不索要机密信息',
'请注意：无论公开还是私下，我们绝不会向您索要助记词、私钥、密码或验证码。任何索要这些信息的人都不是我们。如果您已经泄露了其中任何一项，请立即告诉我们，以便帮您保护账户。', now());
