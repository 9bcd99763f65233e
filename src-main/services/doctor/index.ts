export { diagnoseServer, type DiagnoseOptions } from './diagnose';
