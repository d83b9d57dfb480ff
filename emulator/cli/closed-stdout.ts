/**
 * A reader that closes stdout early (`clustervm boot ... | head -1`) ends the run at once
 * and quietly: nobody is left to read the rest, and a broken pipe is not an error.
 */
export function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}
