/**
 * The four UI languages of the Teams tab and the Outlook add-in, and which one a host's locale gets.
 * Each front end keeps its own words (the tab through i18next, the add-in in a light table of its own);
 * the choice of language is made here, once.
 */

export const uiLanguages = ["en", "pt-BR", "fr", "sv"] as const;
export type UiLanguage = (typeof uiLanguages)[number];

/** The language closest to a BCP 47 locale ("pt-PT" and "pt-BR" → pt-BR, "fr-CA" → fr); English otherwise. */
export function languageFor(locale: string | undefined): UiLanguage {
  const l = (locale ?? "en").toLowerCase();
  if (l.startsWith("pt")) return "pt-BR";
  if (l.startsWith("fr")) return "fr";
  if (l.startsWith("sv")) return "sv";
  return "en";
}
