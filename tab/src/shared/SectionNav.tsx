/**
 * The frame of a tab experience: a tab list naming its sections, and the chosen section below it, shown
 * once `/api/me` is loaded (MeGate). The Schedule and Admin experiences keep which section is chosen.
 */
import { makeStyles, Tab, TabList, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { MeGate } from "./MeGate.tsx";

const useStyles = makeStyles({
  nav: {
    paddingInline: tokens.spacingHorizontalL,
    paddingTop: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  main: { padding: tokens.spacingHorizontalL },
});

export interface SectionNavProps<S extends string> {
  sections: readonly S[];
  selected: S;
  onSelect: (section: S) => void;
  /** The section shown. */
  children: ReactNode;
}

export function SectionNav<S extends string>({ sections, selected, onSelect, children }: SectionNavProps<S>) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <>
      <nav className={styles.nav} aria-label={t("app.nav")}>
        <TabList
          selectedValue={selected}
          onTabSelect={(_e, d) => {
            const section = sections.find((s) => s === d.value);
            if (section) onSelect(section);
          }}
        >
          {sections.map((s) => (
            <Tab key={s} value={s}>
              {t(`nav.${s}`)}
            </Tab>
          ))}
        </TabList>
      </nav>
      <main className={styles.main}>
        <MeGate>{children}</MeGate>
      </main>
    </>
  );
}
