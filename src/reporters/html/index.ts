// The HTML reporter's entry module: one self-contained, offline document (docs/html-report.md).
export { htmlReport, streamHtml, CONTENT_SECURITY_POLICY } from './html.ts';
