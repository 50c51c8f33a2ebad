// The admin-editable guard policy: per finding type, whether to mask it in private and public conversations and
// what to do on the platform when it appears in public; plus the messages sent to the customer, in English and
// simplified Chinese. Warnings posted in public never repeat the secret: they only name its kind.
//
// Templates may contain {handle} (the customer's @handle, or nothing when unknown) and no other placeholder.
import { z } from 'zod';
import { FINDING_TYPES, type FindingType, type Visibility } from '../domain/types.ts';

export const PUBLIC_ACTIONS = ['remove_warn_dm', 'warn', 'none'] as const;
export type PublicAction = (typeof PUBLIC_ACTIONS)[number];

/** Finding types that call for the same public warning. */
export const RISK_GROUPS = ['wallet', 'account', 'token', 'financial', 'identity', 'contact'] as const;
export type RiskGroup = (typeof RISK_GROUPS)[number];

const GROUP_OF: Record<FindingType, RiskGroup> = {
  seed_phrase: 'wallet',
  private_key: 'wallet',
  password: 'account',
  otp: 'account',
  api_token: 'token',
  payment_card: 'financial',
  bank_account: 'financial',
  national_id: 'identity',
  phone: 'contact',
  email: 'contact',
};
export const riskGroupOf = (type: FindingType): RiskGroup => GROUP_OF[type];

/** An object schema with exactly these keys, each validated by `schema` (keeps key-level typing). */
function keyed<K extends string, S extends z.ZodType>(keys: readonly K[], schema: S) {
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, schema])) as Record<K, S>);
}

const Template = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .refine((t) => !/\{(?!handle\})[^}]*\}/.test(t), { message: 'only the {handle} placeholder is supported' });

const TypePolicySchema = z.strictObject({
  maskPrivate: z.boolean(),
  maskPublic: z.boolean(),
  publicAction: z.enum(PUBLIC_ACTIONS),
});

const LanguageTemplatesSchema = z.strictObject({
  /**
   * The public reply's first part, per kind of secret: what the message contained (never the secret itself).
   * The sentences below are appended according to what the guard managed to do, so the reply never claims a
   * removal or a private message that did not happen.
   */
  publicWarning: keyed(RISK_GROUPS, Template),
  /** Appended when the post was removed. */
  removed: Template,
  /** Appended when the post could not be removed (no right to, or the platform does not allow it). */
  notRemoved: Template,
  /** Appended when the private advice was delivered. */
  dmSent: Template,
  /** Appended when no private message could be sent: invites the customer to write to us privately. */
  dmInvite: Template,
  /** Sent privately to the customer: what to do now. */
  dm: keyed(FINDING_TYPES, Template),
});

export const GuardPolicySchema = z.strictObject({
  types: keyed(FINDING_TYPES, TypePolicySchema),
  templates: z.strictObject({ en: LanguageTemplatesSchema, zh: LanguageTemplatesSchema }),
});
export type GuardPolicy = z.infer<typeof GuardPolicySchema>;

/** Whether a finding of this type is masked in a conversation of this visibility. */
export function mustMask(policy: GuardPolicy, type: FindingType, visibility: Visibility): boolean {
  const rule = policy.types[type];
  return visibility === 'public' ? rule.maskPublic : rule.maskPrivate;
}

const ACTION_STRENGTH: Record<PublicAction, number> = { none: 0, warn: 1, remove_warn_dm: 2 };

/** The strongest public action any of these finding types calls for ('none' for no findings). */
export function publicActionFor(policy: GuardPolicy, types: Iterable<FindingType>): PublicAction {
  let action: PublicAction = 'none';
  for (const type of types) {
    const candidate = policy.types[type].publicAction;
    if (ACTION_STRENGTH[candidate] > ACTION_STRENGTH[action]) action = candidate;
  }
  return action;
}

/**
 * Fills {handle}. Without a handle the placeholder goes with the space that set it apart, so "{handle} we…"
 * becomes "we…" and "Hi {handle}, …" becomes "Hi, …" (callers capitalise the first letter if they need to).
 */
export function renderTemplate(template: string, vars: { handle?: string | undefined }): string {
  const handle = vars.handle?.trim();
  if (handle) return template.replaceAll('{handle}', handle);
  return template.replace(/^\s*\{handle\}\s*/, '').replace(/\s*\{handle\}/g, '').trim();
}

const secret = { maskPrivate: true, maskPublic: true, publicAction: 'remove_warn_dm' } as const;
const contact = { maskPrivate: false, maskPublic: true, publicAction: 'warn' } as const;

export const DEFAULT_GUARD_POLICY: GuardPolicy = {
  types: {
    seed_phrase: secret,
    private_key: secret,
    password: secret,
    otp: secret,
    payment_card: secret,
    bank_account: secret,
    national_id: secret,
    api_token: secret,
    phone: contact,
    email: contact,
  },
  templates: {
    en: {
      publicWarning: {
        wallet: '{handle} your message contained a wallet recovery phrase or private key. Never share these with anyone – our team will never ask for them.',
        account: '{handle} your message contained a password or a verification code. Please never post these in public – our team will never ask for them.',
        token: '{handle} your message contained an API key or access token. Please keep credentials out of public chats.',
        financial: '{handle} your message contained card or bank account details. Please keep financial details out of public chats.',
        identity: '{handle} your message contained an ID number. Please keep identity documents and numbers private.',
        contact:
          '{handle} just a heads-up: your message shows a phone number or email address to everyone in this chat. If you would rather keep it private, you can delete it and send it to us by direct message instead.',
      },
      removed: 'We removed it for your safety.',
      notRemoved: 'Please delete that message now.',
      dmSent: 'We have sent you a direct message with what to do next.',
      dmInvite: 'Please send us a direct message so we can help you secure your account.',
      dm: {
        seed_phrase:
          'Hi {handle}, this is the support team. You posted your wallet recovery phrase in a public chat. Others may already have seen it, so please treat this wallet as compromised:\n1. Create a brand-new wallet with a new recovery phrase right now.\n2. Move all your funds to the new wallet immediately.\n3. Stop using the old wallet.\nNever share your recovery phrase with anyone. Our team will never ask for it, and anyone who does is a scammer.',
        private_key:
          'Hi {handle}, this is the support team. You posted a private key in a public chat. Others may already have seen it, so please treat that wallet as compromised:\n1. Create a brand-new wallet right now.\n2. Move all your funds to it immediately.\n3. Stop using the old key.\nNever share a private key with anyone. Our team will never ask for it, and anyone who does is a scammer.',
        password:
          'Hi {handle}, you shared a password in a public chat. Please change that password right now (and anywhere else you use it) and turn on two-factor authentication. If you think someone may have signed in, reply here and we can freeze your account while we check.',
        otp:
          'Hi {handle}, you shared a verification code in a public chat. Never give these codes to anyone: our team will never ask for them. If you did not request this code, someone may be trying to get into your account: change your password, turn on two-factor authentication and reply here so we can freeze your account while we check.',
        payment_card:
          'Hi {handle}, you shared your card number in a public chat. Please call your card issuer now to freeze or replace the card, and keep an eye on your statements for payments you do not recognise.',
        bank_account:
          'Hi {handle}, you shared your bank account details in a public chat. Please contact your bank now to let them know and freeze the account if they advise it, and be careful with calls or messages that pretend to come from your bank.',
        national_id:
          'Hi {handle}, you shared an ID number in a public chat. Please watch out for identity fraud: be wary of unexpected calls or messages that use your personal details, and check for accounts or loans opened in your name.',
        phone:
          'Hi {handle}, just a note: your phone number was visible in the public chat. If you prefer, you can delete that message. You can always share contact details with us here in private.',
        email:
          'Hi {handle}, just a note: your email address was visible in the public chat. If you prefer, you can delete that message. You can always share contact details with us here in private.',
        api_token:
          'Hi {handle}, you posted an API key or access token in a public chat. Please revoke that key in the provider’s dashboard now, create a new one, and check recent activity for anything you do not recognise.',
      },
    },
    zh: {
      publicWarning: {
        wallet: '{handle} 您的消息包含钱包助记词或私钥。请不要向任何人透露助记词或私钥，官方客服绝不会向您索要。',
        account: '{handle} 您的消息包含密码或验证码。请不要在公开场合发送这类信息，官方客服绝不会向您索要。',
        token: '{handle} 您的消息包含 API 密钥或访问令牌。请不要在公开群组中发送任何凭证。',
        financial: '{handle} 您的消息包含银行卡或银行账户信息。请不要在公开场合发送金融信息。',
        identity: '{handle} 您的消息包含身份证件号码。请妥善保管个人证件信息，不要公开发送。',
        contact: '{handle} 温馨提示：您的消息中有手机号或邮箱，群里所有人都能看到。如果不想公开，可以删除这条消息，改为私信发给我们。',
      },
      removed: '为了您的安全，我们已将该消息删除。',
      notRemoved: '请立即删除这条消息。',
      dmSent: '后续处理方法已私信发给您。',
      dmInvite: '请私信我们，我们会协助您保护账户安全。',
      dm: {
        seed_phrase:
          '{handle} 您好，这里是官方客服。您在公开群组里发送了钱包助记词，可能已经有人看到，请把这个钱包视为已泄露：\n1. 立即创建一个全新的钱包（生成新的助记词）；\n2. 马上把所有资产转入新钱包；\n3. 停止使用旧钱包。\n请不要向任何人透露助记词。官方客服绝不会向您索要，凡是索要助记词的都是骗子。',
        private_key:
          '{handle} 您好，这里是官方客服。您在公开群组里发送了私钥，可能已经有人看到，请把对应的钱包视为已泄露：\n1. 立即创建一个全新的钱包；\n2. 马上把所有资产转入新钱包；\n3. 停止使用旧私钥。\n请不要向任何人透露私钥。官方客服绝不会向您索要，凡是索要私钥的都是骗子。',
        password:
          '{handle} 您好，您在公开群组里发送了密码。请立即修改这个密码（其他地方用了同一密码的也请一并修改），并开启双重验证（2FA）。如果担心账户已被他人登录，请直接回复本消息，我们可以先帮您冻结账户。',
        otp: '{handle} 您好，您在公开群组里发送了验证码。验证码请不要告诉任何人，官方客服绝不会向您索要。如果这不是您本人申请的验证码，可能有人正在尝试登录您的账户：请立即修改密码、开启双重验证，并回复本消息，我们可以先帮您冻结账户。',
        payment_card: '{handle} 您好，您在公开群组里发送了银行卡卡号。请尽快致电发卡银行冻结或挂失这张卡，并留意账单里有没有陌生消费。',
        bank_account: '{handle} 您好，您在公开群组里发送了银行账户信息。请尽快联系您的银行说明情况，必要时冻结账户；同时留意异常交易，警惕冒充银行的电话和短信。',
        national_id: '{handle} 您好，您在公开群组里发送了身份证件号码。请警惕身份被冒用：留意陌生来电和短信，以及是否有人以您的名义开户或贷款。',
        phone: '{handle} 您好，温馨提示：您的手机号在公开群组里所有人都能看到。如果不想公开，可以删除那条消息；联系方式随时可以在这里私信发给我们。',
        email: '{handle} 您好，温馨提示：您的邮箱地址在公开群组里所有人都能看到。如果不想公开，可以删除那条消息；联系方式随时可以在这里私信发给我们。',
        api_token: '{handle} 您好，您在公开群组里发送了 API 密钥或访问令牌。请立即到对应平台吊销该密钥并重新生成，同时检查近期有没有异常调用或操作。',
      },
    },
  },
};
