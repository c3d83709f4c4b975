/**
 * The Admin tab (owners and admins): connection, seat pools, users, CSV import, group rules, join requests,
 * invitations, audit.
 */
import { useState } from "react";
import { SectionNav } from "../shared/SectionNav.tsx";
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
  const [section, setSection] = useState<Section>("consent");
  // Plans under review live here, so an admin can look at Users and come back to commit or undo.
  const csvImport = useCsvImport();
  const rulesPlan = usePlanReview();
  return (
    <SectionNav sections={sections} selected={section} onSelect={setSection}>
      {section === "consent" ? <ConsentSection /> : null}
      {section === "seats" ? <SeatsSection /> : null}
      {section === "users" ? <UsersSection /> : null}
      {section === "import" ? <CsvImport wizard={csvImport} /> : null}
      {section === "rules" ? <RulesSection review={rulesPlan} /> : null}
      {section === "requests" ? <RequestsSection /> : null}
      {section === "invitations" ? <InvitationsSection /> : null}
      {section === "audit" ? <AuditSection /> : null}
    </SectionNav>
  );
}
