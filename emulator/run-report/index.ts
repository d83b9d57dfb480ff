export { htmlReport } from './html-report.js';
