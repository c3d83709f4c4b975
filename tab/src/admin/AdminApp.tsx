/** The Admin tab (owners and admins): connection, seat pools, users, CSV import, rules, requests, audit. */
import { makeStyles, Tab, TabList, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { MeGate } from "../shared/MeGate.tsx";
import { ConsentSection } from "./ConsentSection.tsx";

const useStyles = makeStyles({
  nav: {
    paddingInline: tokens.spacingHorizontalL,
    paddingTop: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  main: { padding: tokens.spacingHorizontalL },
});

const sections = ["consent", "seats", "users", "import", "rules", "requests", "audit"] as const;
type Section = (typeof sections)[number];

export function AdminApp() {
  const styles = useStyles();
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>("consent");
  return (
    <>
      <nav className={styles.nav} aria-label={t("app.nav")}>
        <TabList selectedValue={section} onTabSelect={(_e, d) => setSection(d.value as Section)}>
          {sections.map((s) => (
            <Tab key={s} value={s}>
              {t(`nav.${s}`)}
            </Tab>
          ))}
        </TabList>
      </nav>
      <main className={styles.main}>
        <MeGate>{section === "consent" ? <ConsentSection /> : <PendingSection section={section} />}</MeGate>
      </main>
    </>
  );
}

function PendingSection({ section }: { section: Section }) {
  const { t } = useTranslation();
  return <p>{`${t(`nav.${section}`)}: ${t("state.notAvailable")}`}</p>;
}
