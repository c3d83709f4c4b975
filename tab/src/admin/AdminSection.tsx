/** A section of the Admin tab: a region named by its heading. */
import { Subtitle1 } from "@fluentui/react-components";
import type { ReactNode } from "react";

export interface AdminSectionProps {
  /** Names the heading's id ("<name>-heading"), which names the region. */
  name: string;
  heading: string;
  className: string;
  children: ReactNode;
}

export function AdminSection({ name, heading, className, children }: AdminSectionProps) {
  const headingId = `${name}-heading`;
  return (
    <section className={className} aria-labelledby={headingId}>
      <Subtitle1 as="h2" id={headingId}>
        {heading}
      </Subtitle1>
      {children}
    </section>
  );
}
