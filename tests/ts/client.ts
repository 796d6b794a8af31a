// A TypeScript client of the prepdeck API, as a third-party app would write one: types
// generated from openapi/openapi.json by openapi-typescript, calls made with openapi-fetch.
// `tsc --strict` checks it; node runs it against the server at PREPDECK_URL. Each step
// prints one line; any failure throws and the process exits non-zero.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.d.ts";

declare const process: { env: Record<string, string | undefined>; exitCode: number };

type Problem = components["schemas"]["Problem"];
type Question = components["schemas"]["Question"];

const baseUrl = process.env.PREPDECK_URL;
if (!baseUrl) throw new Error("PREPDECK_URL is not set");
const api = createClient<paths>({ baseUrl });

function check(ok: boolean, what: string): asserts ok {
  if (!ok) throw new Error(`failed: ${what}`);
}

function problem(error: Problem | undefined, status: number, code: Problem["code"]): Problem {
  check(error !== undefined, `a ${status} problem`);
  check(error.status === status && error.code === code, `${status} is ${code}`);
  check(error.type === `/problems/${code}`, "the problem's type names its code");
  return error;
}

async function list(): Promise<void> {
  const { data, response } = await api.GET("/v1/questions", {
    params: { query: { guide: "mercor", limit: 2, with_red_flag: true } },
  });
  check(data !== undefined && data.items.length === 2, "a page of two questions");
  check(data.next !== null && data.total > 2, "a next page");
  check(response.headers.get("link") === `<${data.next}>; rel="next"`, "a Link header");
  console.log(`list: ${data.total} questions, next ${data.next}`);
}

async function shuffleThenNext(): Promise<void> {
  const query = { order: "shuffle", seed: "ts-42", limit: 3 } as const;
  const first = await api.GET("/v1/questions", { params: { query } });
  check(first.data?.next != null, "a shuffled first page with a next link");
  const next = new URL(first.data.next, baseUrl).searchParams;
  const second = await api.GET("/v1/questions", {
    params: {
      query: {
        ...query,
        seed: next.get("seed") ?? "",
        limit: Number(next.get("limit")),
        offset: Number(next.get("offset")),
      },
    },
  });
  check(second.data !== undefined, "the next page");
  const seen = new Set(first.data.items.map((q: Question) => q.id));
  check(second.data.items.every((q: Question) => !seen.has(q.id)), "no question twice");
  const again = await api.GET("/v1/questions", { params: { query } });
  check(again.data?.items[0]?.id === first.data.items[0]?.id, "the seed fixes the order");
  console.log(`shuffle: pages of ${first.data.items.length} and ${second.data.items.length}`);
}

async function questionAsHtml(): Promise<string> {
  const { data, response } = await api.GET("/v1/questions/{guide}/{slug}", {
    params: {
      path: { guide: "mercor", slug: "how-do-you-handle-database-scaling" },
      query: { format: "html" },
    },
  });
  check(data !== undefined && (data.answer ?? "").includes("<"), "an answer in HTML");
  const etag = response.headers.get("etag");
  check(etag !== null, "an ETag");
  console.log(`question: ${data.title}`);
  return etag;
}

async function notModified(etag: string): Promise<void> {
  const { data, error, response } = await api.GET("/v1/questions/{guide}/{slug}", {
    params: {
      path: { guide: "mercor", slug: "how-do-you-handle-database-scaling" },
      query: { format: "html" },
      header: { "If-None-Match": etag },
    },
  });
  check(response.status === 304, "304 for the ETag just received");
  check(data === undefined && !error, "no body with a 304");
  console.log("conditional GET: 304");
}

async function search(): Promise<void> {
  const { data } = await api.GET("/v1/search", {
    params: { query: { q: "database sharding", guide: "mercor", limit: 5 } },
  });
  check(data !== undefined && data.hits.length > 0, "hits");
  check(data.facets.guide.every((f) => f.value === "mercor"), "facets by guide, filtered");
  check(data.facets.topic.length > 0, "facets by topic");
  const hit = data.hits[0];
  check(hit !== undefined && hit.url.startsWith("/v1/"), "a hit's url");
  console.log(`search: ${data.total} hits, best ${hit.url}`);
}

async function problems(): Promise<void> {
  const missing = await api.GET("/v1/guides/{guide}", {
    params: { path: { guide: "no-such-guide" } },
  });
  check(missing.response.status === 404 && missing.data === undefined, "404");
  problem(missing.error, 404, "not_found");
  const invalid = await api.GET("/v1/questions", { params: { query: { limit: 1000 } } });
  const body = problem(invalid.error, 422, "invalid_parameter");
  check(body.invalid_params?.[0]?.name === "limit", "the 422 names the parameter");
  check(body.invalid_params?.[0]?.source === "query", "and where it was");
  console.log(`problems: ${missing.error?.code}, ${body.code}`);
}

async function deck(): Promise<void> {
  const { data, response } = await api.GET("/v1/guides/{guide}/deck.apkg", {
    params: { path: { guide: "mercor" }, query: { cards: "red-flag" } },
    parseAs: "arrayBuffer",
  });
  check(data !== undefined, "a deck");
  const bytes = new Uint8Array(data);
  check(bytes[0] === 0x50 && bytes[1] === 0x4b, "a zip file (an .apkg)");
  const disposition = response.headers.get("content-disposition") ?? "";
  check(disposition.includes('filename="mercor.apkg"'), "a file name");
  console.log(`deck: ${bytes.length} bytes`);
}

await list();
await shuffleThenNext();
await notModified(await questionAsHtml());
await search();
await problems();
await deck();
console.log("typescript client: every call answered as typed");
