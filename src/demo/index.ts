export { loadSampleData, type SampleDataResult, type SampleDataSettings } from './load-sample-data.js';
