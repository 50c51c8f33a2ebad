import { describe, expect, it } from 'vitest';
import { detectOtps, detectPasswords } from './credentials.ts';
import { values } from './testing.ts';

const passwords = (text: string) => values(detectPasswords, text);
const otps = (text: string) => values(detectOtps, text);

describe('passwords', () => {
  it.each([
    ['my password is Hunter2024!', 'Hunter2024!'],
    ['password: Qwerty@2024', 'Qwerty@2024'],
    ['pw: abc12345 pls log in and check', 'abc12345'],
    ['pwd=S3cret!x', 'S3cret!x'],
    ['密码是Abc@12345，谢谢', 'Abc@12345'],
    ['密码：zhang1988', 'zhang1988'],
    ['登录密码 wangli520', 'wangli520'],
    ['支付密码：888888', '888888'],
    ['交易密码 123456', '123456'],
    ['The password for my exchange account is kW$H40glGvum', 'kW$H40glGvum'],
    ['I changed my password to Hunter2024 yesterday', 'Hunter2024'],
    ['my pass is "correct horse battery staple"', 'correct horse battery staple'],
    ["password = 'Tr0ub4dor&3'", 'Tr0ub4dor&3'],
    ['PIN: 482913', '482913'],
    ['PIN码 482913', '482913'],
    ['my password is sunshine.', 'sunshine'],
    ['Password:\nQwerty!234', 'Qwerty!234'],
    ['hi, my wallet pwd is Zz123456 and it does not unlock', 'Zz123456'],
  ])('finds the value in %j', (text, value) => {
    expect(passwords(text)).toEqual([value]);
  });

  it('reads full-width input and keeps the span on the value only', () => {
    const text = '密码：Ａｂｃ１２３４５６';
    const [f] = detectPasswords('密码:Abc123456');
    expect(passwords(text)).toEqual(['Ａｂｃ１２３４５６']);
    expect(f).toMatchObject({ start: 3, end: 12 });
  });

  it('keeps UTF-16 offsets right after emoji', () => {
    const text = '😀😀 my password: hunter22';
    const [f] = detectPasswords(text);
    expect(f && text.slice(f.start, f.end)).toBe('hunter22');
    expect(f?.start).toBe(18);
  });

  it.each([
    'I forgot my password',
    'reset my password please',
    'Password reset link not working',
    'My password is not working since the update',
    'my password is wrong',
    'My password is definitely correct',
    'my password is too short according to the app',
    'my password is case sensitive, right?',
    'password must be at least 8 characters?',
    'can I change my password to something stronger?',
    'the password field is empty after I paste it',
    'password: ****',
    'password: <hidden>',
    '密码忘了怎么办',
    '密码错误次数太多被锁了',
    '支付密码是多少位的？',
    '密码至少8位吗',
    '动态密码 123456',
    'I typed the password to unlock it',
    'I can not pass the KYC check',
    'Please never share your password or 2FA codes with anyone.',
  ])('leaves %j alone', (text) => {
    expect(passwords(text)).toEqual([]);
  });
});

describe('one-time codes', () => {
  it.each([
    ['验证码 482913', '482913'],
    ['验证码是482913', '482913'],
    ['验证码：４８２９１３', '４８２９１３'],
    ['短信验证码482913，帮我登录一下', '482913'],
    ['2FA code 123456', '123456'],
    ['my 2fa code is 123456 can u log in', '123456'],
    ['OTP: 9921', '9921'],
    ['the code is 123456', '123456'],
    ['Google Authenticator code: 123 456', '123 456'],
    ['here is the verification code 48291355 please finish my withdrawal', '48291355'],
    ['谷歌验证码 654321', '654321'],
    ['动态密码 123456', '123456'],
    ['482913 is my 2FA code', '482913'],
    ['482913是验证码', '482913'],
    ['I got code 123456 by SMS', '123456'],
  ])('finds the code in %j', (text, value) => {
    expect(otps(text)).toEqual([value]);
  });

  it.each([
    '验证码收不到',
    'code not received',
    'error code 1002',
    'error code: 100234',
    'code 1002',
    'code: 404 page not found',
    'promo code WELCOME2024 does not work',
    'invite code: 883921',
    '邀请码 883921',
    'referral code 5521 not applied',
    'zip code 123456',
    '验证码60秒后才能重发',
    '验证码错误，请重新输入',
    'I entered the wrong code 3 times',
    'the verification code expired before I could type it',
    'verification code 1234567890123',
  ])('leaves %j alone', (text) => {
    expect(otps(text)).toEqual([]);
  });

  it('covers the value, not the label, after emoji', () => {
    const text = '🙏 验证码：482913';
    const [f] = detectOtps(text);
    expect(f).toMatchObject({ type: 'otp', start: 7, end: 13 });
  });

  it('stays linear on adversarial input', () => {
    expect(detectPasswords('password: '.repeat(100_000))).toBeInstanceOf(Array);
    expect(detectPasswords('password' + ' '.repeat(100_000) + 'x')).toEqual([]);
    expect(detectOtps('验证码 '.repeat(100_000))).toEqual([]);
    expect(detectOtps('code is 1'.repeat(100_000))).toEqual([]);
  });
});

describe('Traditional Chinese labels and more phrasings (issue 9)', () => {
  it.each([
    ['密碼：Abc12345', 'Abc12345'],
    ['我的登錄密碼是 Qq123456!', 'Qq123456!'],
    ['錢包密碼 wallet2024', 'wallet2024'],
    ['the password I set is sunshine42', 'sunshine42'],
    ['the password I set is Sunshine', 'Sunshine'],
    ['I set my password as Tiger#2024 and it still fails', 'Tiger#2024'],
    ['password that I use for binance is Moon2024$', 'Moon2024$'],
    ['the password i used was dragon_99', 'dragon_99'],
    ['the password we chose for the family wallet is "blue horse 7"', 'blue horse 7'],
  ])('finds the password in %s', (text, value) => {
    expect(passwords(text)).toEqual([value]);
  });

  it.each(['密碼忘記了怎麼辦', 'the password I set is not working', 'the password I set is too long? it cuts off', 'I set my password as instructed'])(
    'leaves %s alone',
    (text) => {
      expect(passwords(text)).toEqual([]);
    },
  );
});

describe('codes typed differently (issue 9)', () => {
  it.each([
    ['code: 4 8 2 9 1 3', '4 8 2 9 1 3'],
    ['验证码是 ４ ８ ２ ９ １ ３', '４ ８ ２ ９ １ ３'],
    ['驗證碼 482913', '482913'],
    ['簡訊驗證碼：４８２９１３', '４８２９１３'],
    ['the login code Telegram sent me is 92110', '92110'],
    ['the code that Binance texted me is 771204', '771204'],
    ['OTP 1 2 3 4 pls hurry', '1 2 3 4'],
    ['2fa code: 5\u00a09\u00a01\u00a02\u00a03\u00a04', '5\u00a09\u00a01\u00a02\u00a03\u00a04'],
    ['verification code ٤٨٢٩١٣', '٤٨٢٩١٣'],
  ])('finds the code in %s', (text, value) => {
    expect(otps(text)).toEqual([value]);
  });

  it.each(['error code 5 0 3 again', 'the code Telegram sent me never arrived', 'verification code 1 2 3 4 5 6 7 8 9 0 1 2', '驗證碼收不到'])(
    'leaves %s alone',
    (text) => {
      expect(otps(text)).toEqual([]);
    },
  );
});

describe('a comma between a label and its value (the full-width comma normalized)', () => {
  it.each([
    ['验证码，482913', '482913'],
    ['谷歌验证码，４８２９１３', '４８２９１３'],
    ['2FA，482913 快点', '482913'],
    ['code, 482913', '482913'],
  ])('finds the code: %s', (text, value) => {
    expect(otps(text)).toEqual([value]);
  });

  it('finds the password, the comma outside its span', () => {
    expect(passwords('密码，Abc12345')).toEqual(['Abc12345']);
    expect(passwords('登录密码，Qwerty@2024 帮我看看')).toEqual(['Qwerty@2024']);
  });

  it.each([
    ['error code, 482913'],
    ['验证码，收不到'],
    ['code, 1234567'],
    ['my password, then my email'],
    ['password, sunshine'],
  ])('leaves alone: %s', (text) => {
    expect([...otps(text), ...passwords(text)]).toEqual([]);
  });
});
