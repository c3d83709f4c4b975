/**
 * The Admin tab (owners and admins): connection, seat pools, users, CSV import, group rules, join requests,
 * invitations, audit.
 */
import { makeStyles, Tab, TabList, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { MeGate } from "../shared/MeGate.tsx";
import { AuditSection } from "./AuditSection.tsx";
import { ConsentSection } from "./ConsentSection.tsx";
import { CsvImport } from "./CsvImport.tsx";
import { InvitationsSection } from "./InvitationsSection.tsx";
import { RequestsSection } from "./RequestsSection.tsx";
import { RulesSection } from "./RulesSection.tsx";
import { SeatsSection } from "./SeatsSection.tsx";
import { UsersSection } from "./UsersSection.tsx";
import { useCsvImport } from "./useCsvImport.ts";
import { usePlanReview } from "./usePlanReview.ts";

const useStyles = makeStyles({
  nav: {
    paddingInline: tokens.spacingHorizontalL,
    paddingTop: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  main: { padding: tokens.spacingHorizontalL },
});

const sections = [
  "consent",
  "seats",
  "users",
  "import",
  "rules",
  "requests",
  "invitations",
  "audit",
] as const;
type Section = (typeof sections)[number];

export function AdminApp() {
  const styles = useStyles();
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>("consent");
  // Plans under review live here, so an admin can look at Users and come back to commit or undo.
  const csvImport = useCsvImport();
  const rulesPlan = usePlanReview();
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
        <MeGate>
          {section === "consent" ? <ConsentSection /> : null}
          {section === "seats" ? <SeatsSection /> : null}
          {section === "users" ? <UsersSection /> : null}
          {section === "import" ? <CsvImport wizard={csvImport} /> : null}
          {section === "rules" ? <RulesSection review={rulesPlan} /> : null}
          {section === "requests" ? <RequestsSection /> : null}
          {section === "invitations" ? <InvitationsSection /> : null}
          {section === "audit" ? <AuditSection /> : null}
        </MeGate>
      </main>
    </>
  );
}
