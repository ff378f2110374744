import type {
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchResponse,
} from '@backplane/plugin-api';

/**
 * A search for a URL without a glob pattern: the one file when it exists, no files when it does
 * not, and any other failure as it is.
 */
export async function searchSingleFile(
  url: string,
  readUrl: (
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ) => Promise<UrlReaderServiceReadUrlResponse>,
  options?: UrlReaderServiceReadUrlOptions,
): Promise<UrlReaderServiceSearchResponse> {
  try {
    const file = await readUrl(url, options);
    return {
      files: [{ url, content: file.buffer, lastModifiedAt: file.lastModifiedAt }],
      etag: file.etag ?? '',
    };
  } catch (error) {
    if ((error as Error)?.name === 'NotFoundError') {
      return { files: [], etag: '' };
    }
    throw error;
  }
}
