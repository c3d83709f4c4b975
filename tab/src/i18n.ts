/**
 * UI languages: English (default), Brazilian Portuguese, French and Swedish, through i18next. The Teams
 * locale (e.g. "pt-BR", "fr-FR", "sv-SE") picks the closest language (`languageFor`, shared with the
 * Outlook add-in).
 */
import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { languageFor, type UiLanguage } from "../../src/ui-shared/language.ts";
import { en, type Strings } from "./locales/en.ts";

/** English ships with the first load (it is also the fallback); the others load when the locale asks. */
const loaders: Record<Exclude<UiLanguage, "en">, () => Promise<Strings>> = {
  "pt-BR": () => import("./locales/pt-BR.ts").then((m) => m.ptBR),
  fr: () => import("./locales/fr.ts").then((m) => m.fr),
  sv: () => import("./locales/sv.ts").then((m) => m.sv),
};

/** Loads the locale's language (once) and switches to it. */
export async function switchLanguage(instance: i18n, locale: string | undefined): Promise<void> {
  const language = languageFor(locale);
  if (language !== "en" && !instance.hasResourceBundle(language, "translation")) {
    instance.addResourceBundle(language, "translation", await loaders[language]());
  }
  await instance.changeLanguage(language);
}

/** An i18next instance in English; call `switchLanguage` for the user's locale. */
export function createI18n(): i18n {
  const instance = i18next.createInstance();
  instance.use(initReactI18next).init({
    lng: "en",
    fallbackLng: "en",
    resources: { en: { translation: en } },
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return instance;
}
