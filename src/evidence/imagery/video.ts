/**
 * Video through Debian's ffprobe / ffmpeg (run as child processes; nothing is written to disk): the
 * exact duration of each file (ffprobe's container duration, summed in whole microseconds so that
 * thousands of clips add up without floating-point drift), and frames sampled at a rate or keyframes
 * only, piped as raw RGB. The caller may stop a file's decoding at any frame.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { Frame } from './detect.js';

export class VideoError extends Error {}

export interface VideoInfo {
  /** Duration in whole microseconds (ffprobe prints six decimals). */
  durationUs: number;
  width: number;
  height: number;
}

/** "12.345678" -> 12345678, exactly (no float arithmetic). */
export function parseDurationUs(text: string): number {
  const m = /^(\d+)(?:\.(\d{1,6})\d*)?$/.exec(text.trim());
  if (!m) throw new VideoError(`duration ${JSON.stringify(text)} is not a number of seconds`);
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
}

export function ffmpegAvailable(): boolean {
  const a = spawnSync('ffprobe', ['-version'], { stdio: 'ignore' });
  const b = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  return a.status === 0 && b.status === 0;
}

export function probeVideo(file: string): VideoInfo {
  const r = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'format=duration:stream=width,height:stream_side_data=rotation', '-of', 'json', '--', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.error) throw new VideoError(`ffprobe could not run: ${r.error.message}`);
  if (r.status !== 0) throw new VideoError((r.stderr || `ffprobe exited with ${r.status}`).trim().split('\n').slice(-1)[0]!);
  let parsed: { format?: { duration?: string }; streams?: { width?: number; height?: number; side_data_list?: { rotation?: number }[] }[] };
  try {
    parsed = JSON.parse(r.stdout) as typeof parsed;
  } catch {
    throw new VideoError('ffprobe printed no readable description');
  }
  const stream = parsed.streams?.[0];
  if (!stream?.width || !stream.height) throw new VideoError('no video stream');
  if (!parsed.format?.duration) throw new VideoError('the container states no duration');
  const rotation = Math.abs(stream.side_data_list?.find((s) => s.rotation !== undefined)?.rotation ?? 0);
  const swap = rotation === 90 || rotation === 270;
  return { durationUs: parseDurationUs(parsed.format.duration), width: swap ? stream.height : stream.width, height: swap ? stream.width : stream.height };
}

export interface SampleOptions {
  /** Frames per second of video to decode; ignored with keyframes. */
  fps: number;
  keyframes: boolean;
}

/**
 * Decode sampled frames of `file` one at a time. `onFrame` returns false to stop (the decoder is killed).
 * Resolves with the number of frames handed over; rejects when ffmpeg fails (a corrupt or truncated file).
 */
export function sampleFrames(file: string, info: VideoInfo, options: SampleOptions, onFrame: (frame: Frame) => Promise<boolean>): Promise<number> {
  const args = ['-v', 'error', '-nostdin'];
  if (options.keyframes) args.push('-skip_frame', 'nokey');
  args.push('-i', file, '-map', '0:v:0', '-an', '-sn', '-dn');
  if (options.keyframes) args.push('-fps_mode', 'passthrough');
  else args.push('-vf', `fps=${options.fps}`);
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  const frameBytes = info.width * info.height * 3;
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending: Buffer[] = [];
    let have = 0;
    let frames = 0;
    let stopped = false;
    let chain = Promise.resolve();
    let failed: Error | undefined;
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped) return;
      pending.push(chunk);
      have += chunk.length;
      while (have >= frameBytes && !stopped) {
        const all = Buffer.concat(pending);
        const one = new Uint8Array(all.subarray(0, frameBytes));
        const rest = all.subarray(frameBytes);
        pending = rest.length ? [rest] : [];
        have = rest.length;
        frames++;
        child.stdout.pause();
        chain = chain
          .then(() => onFrame({ data: one, width: info.width, height: info.height }))
          .then((more) => {
            if (!more) {
              stopped = true;
              child.kill('SIGKILL');
            } else child.stdout.resume();
          })
          .catch((e: Error) => {
            failed = e;
            stopped = true;
            child.kill('SIGKILL');
          });
      }
    });
    child.on('error', (e) => reject(new VideoError(`ffmpeg could not run: ${e.message}`)));
    child.on('close', (code) => {
      void chain.then(() => {
        if (failed) reject(failed);
        else if (stopped) resolve(frames);
        else if (code !== 0) reject(new VideoError(stderr.trim().split('\n').slice(-1)[0] || `ffmpeg exited with ${code}`));
        else if (stderr.trim()) reject(new VideoError(stderr.trim().split('\n')[0]!));
        else resolve(frames);
      });
    });
  });
}
