import { openDatabase } from "/work/main/src/store/db.ts";

const t0 = Date.now();
const d = await openDatabase({ kind: "pglite" });
console.log("open", Date.now() - t0);
await d.migrate();
console.log("migrated", Date.now() - t0);
await d.migrate();
console.log("again", Date.now() - t0);
const b = await d.pglite!.dumpDataDir("gzip");
console.log("dump", b.size, Date.now() - t0);
const t1 = Date.now();
const e = await openDatabase({ kind: "pglite", loadDataDir: b });
console.log("load", Date.now() - t1);
console.log(await e.executeSql("select count(*) from tenants"));
