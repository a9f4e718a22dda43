/** How the instance is doing: health, sizes, live figures, registration, and what needs attention. */
import type { ComponentChildren } from "preact";
import { FormError } from "../../../src/components/form-error.tsx";
import { sentence } from "../../../src/components/sentence.ts";
import type { Admin } from "../models/admin-model.ts";
import type { OverviewView } from "../models/admin-views.ts";
import { AdminLink } from "./admin-link.tsx";
import { bytesInWords, countInWords, durationInWords, numberInWords, registrationModeInWords } from "./admin-words.ts";
import { Fact } from "./fact.tsx";
import { commitInWords, updateInWords } from "./release-words.ts";
import { SectionHeading } from "./section-heading.tsx";

export function OverviewSection({ admin }: { admin: Admin }) {
  const { overview, loading } = admin.overview;
  const data = overview.value;
  return (
    <section class="section" aria-labelledby="overview-heading">
      <SectionHeading id="overview-heading">Overview</SectionHeading>
      <FormError id="overview-error" error={loading.error.value} />
      {!data && !loading.error.value && <p role="status">Reading the figures…</p>}
      {data && (
        <>
          <Warnings data={data} />
          <div class="cards">
            <Card title="Health">
              <Fact
                label="Status"
                value={
                  { ok: "Running normally", starting: "Starting (updating the database)", degraded: "Degraded" }[
                    data.health.status
                  ]
                }
              />
              <Fact label="Database" value={data.health.db_healthy ? "Reachable" : "Unreachable"} />
              <Fact label="Up for" value={durationInWords(data.health.uptime_secs)} />
            </Card>
            <Card title="Version">
              <Fact label="Running" value={data.release.version} />
              <Fact label="Commit" value={commitInWords(data.release)} />
              <Fact label="Updates" value={updateInWords(data.release)} />
            </Card>
            <Card title="Size">
              <Fact label="Users" value={numberInWords(data.counts.users)} />
              <Fact label="Communities" value={numberInWords(data.counts.communities)} />
              <Fact label="Channels" value={numberInWords(data.counts.channels)} />
              <Fact label="Messages" value={numberInWords(data.counts.messages)} />
              <Fact label="Stored messages" value={bytesInWords(data.counts.messageBytes)} />
              <Fact label="Database on disk" value={bytesInWords(data.counts.databaseBytes)} />
            </Card>
            <Card title="Storage">
              <Fact label="Files and pictures" value={bytesInWords(data.storage.usedBytes)} />
              <Fact label="Largest file" value={bytesInWords(data.storage.fileMaxBytes)} />
              <Fact label="Quota per person" value={bytesInWords(data.storage.quotaBytes)} />
            </Card>
            <Card title="Right now">
              <Fact label="Open sockets" value={numberInWords(data.live.sockets)} />
              <Fact label="Active rooms" value={numberInWords(data.live.activeRooms)} />
            </Card>
            <Card
              title="Access"
              link={
                <AdminLink href="/admin/registration" router={admin.router}>
                  Registration and invites
                </AdminLink>
              }
            >
              <Fact label="Registration" value={registrationModeInWords(data.registrationMode)} />
              <Fact label="Instance admins" value={numberInWords(data.admins.admins)} />
              <Fact label="Admins with two-factor" value={numberInWords(data.admins.withTwoFactor)} />
            </Card>
          </div>
          <button type="button" onClick={() => admin.overview.load()} disabled={loading.isBusy.value}>
            Read the figures again
          </button>
        </>
      )}
    </section>
  );
}

function Warnings({ data }: { data: OverviewView }) {
  if (data.warnings.length === 0) return <p class="all-clear">Nothing needs your attention.</p>;
  return (
    <section class="warnings" aria-labelledby="warnings-heading">
      <h2 id="warnings-heading">{countInWords(data.warnings.length, "thing needs", "things need")} your attention</h2>
      <ul>
        {data.warnings.map((warning) => (
          <li key={warning.code}>{sentence(warning.message)}</li>
        ))}
      </ul>
    </section>
  );
}

function Card({ title, link, children }: { title: string; link?: ComponentChildren; children: ComponentChildren }) {
  const id = `card-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <dl>{children}</dl>
      {link}
    </section>
  );
}
