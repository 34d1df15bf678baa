// A child process for the event-loop test: takes the write lock of a SQLite file with
// BEGIN EXCLUSIVE, says "locked" on stdout, holds it for the given time, then releases it.
import Database from 'better-sqlite3';

const [filename, holdText] = process.argv.slice(2) as [string, string];
const database = new Database(filename);
database.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked\n');
setTimeout(() => {
  database.exec('COMMIT');
  database.close();
  process.stdout.write('released\n');
}, Number(holdText));
