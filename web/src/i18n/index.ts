// The string catalogue (i18next + react-i18next): 简体中文 and English. The first visit follows the browser's
// languages (navigator.languages); a choice made in the app is remembered in localStorage (a UI preference,
// nothing secret). <html lang> follows, so screen readers and fonts pick the right language.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { zh } from './zh.ts';

export type UiLanguage = 'en' | 'zh';
export const UI_LANGUAGES: UiLanguage[] = ['zh', 'en'];
const KEY = 'inbox.language';

/** The browser's first language we have a catalogue for; English otherwise. */
export function browserLanguage(languages: readonly string[] = navigator.languages ?? [navigator.language]): UiLanguage {
  for (const l of languages) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'zh') return 'zh';
    if (base === 'en') return 'en';
  }
  return 'en';
}

function initialLanguage(): UiLanguage {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {}
  return browserLanguage();
}

export const i18n = i18next;

i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, zh: { translation: zh } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

function applyLang(lng: string) {
  document.documentElement.lang = lng === 'zh' ? 'zh-CN' : 'en';
}
applyLang(i18next.language);
i18next.on('languageChanged', applyLang);

/** Switches the interface language and remembers the choice. */
export function setLanguage(lng: UiLanguage): void {
  try {
    localStorage.setItem(KEY, lng);
  } catch {}
  void i18next.changeLanguage(lng);
}
