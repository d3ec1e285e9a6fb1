// sql.js with its WebAssembly inlined (no .wasm file to find in a worker or in Node): the same API as 'sql.js'.
declare module 'sql.js/dist/sql-wasm-inline.js' {
  import initSqlJs from 'sql.js';
  export default initSqlJs;
}
