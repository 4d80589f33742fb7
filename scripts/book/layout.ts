/** The shell every page of the book shares: head, top bar, and the scripts it loads. All links are relative. */
import { escapeHtml } from "./markdown";

export const BOOK_TITLE = "ML interview notebooks";

export interface PageShell {
  title: string;
  /** Extra stylesheets and scripts under assets/, in order. */
  styles?: string[];
  scripts?: string[];
  /** The page's `<body>` class. */
  kind: string;
  body: string;
}

export function renderPage(page: PageShell): string {
  const styles = ["vendor/katex/katex.min.css", "vendor/highlight/github.min.css", "book.css", ...(page.styles ?? [])];
  const scripts = ["shared.js", "book.js", ...(page.scripts ?? [])];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
${styles.map((href) => `<link rel="stylesheet" href="assets/${href}">`).join("\n")}
</head>
<body class="${page.kind}">
<header class="topbar">
<a class="home" href="index.html">${BOOK_TITLE}</a>
<nav><a href="questions.html">Questions</a><a href="cards.html">Flash cards</a><a href="search.html">Search</a></nav>
<form class="search-box" action="search.html" role="search"><input name="q" type="search" placeholder="Search: English, 中文 or S0-Q12" aria-label="Search the book"></form>
</header>
${page.body}
${scripts.map((src) => `<script src="assets/${src}"></script>`).join("\n")}
</body>
</html>
`;
}

/** JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
