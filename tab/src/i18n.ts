/**
 * UI languages: English (default), Brazilian Portuguese, French and Swedish, through i18next. The Teams
 * locale (e.g. "pt-BR", "fr-FR", "sv-SE") picks the closest language.
 */
import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./locales/en.ts";
import { fr } from "./locales/fr.ts";
import { ptBR } from "./locales/pt-BR.ts";
import { sv } from "./locales/sv.ts";

export const languages = ["en", "pt-BR", "fr", "sv"] as const;
export type Language = (typeof languages)[number];

export function languageFor(locale: string | undefined): Language {
  const l = (locale ?? "en").toLowerCase();
  if (l.startsWith("pt")) return "pt-BR";
  if (l.startsWith("fr")) return "fr";
  if (l.startsWith("sv")) return "sv";
  return "en";
}

export function createI18n(locale: string | undefined): i18n {
  const instance = i18next.createInstance();
  instance.use(initReactI18next).init({
    lng: languageFor(locale),
    fallbackLng: "en",
    resources: {
      en: { translation: en },
      "pt-BR": { translation: ptBR },
      fr: { translation: fr },
      sv: { translation: sv },
    },
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return instance;
}
