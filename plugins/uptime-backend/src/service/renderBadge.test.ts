import { renderBadge } from './renderBadge';

describe('renderBadge', () => {
  it('should render the name and the status with the colour of the status', () => {
    const svg = renderBadge({ name: 'api', status: 'up' });

    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" /);
    expect(svg).toContain('<title>api: up</title>');
    expect(svg).toContain('>api</text>');
    expect(svg).toContain('fill="#2e7d32"');
    expect(renderBadge({ name: 'api', status: 'down' })).toContain('fill="#c62828"');
    expect(renderBadge({ name: 'api', status: 'unknown' })).toContain('>unknown</text>');
  });

  it('should escape the name so that it cannot add markup', () => {
    const svg = renderBadge({ name: `<script>alert("x")</script>&'`, status: 'up' });

    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;&#39;');
    expect(svg).toContain('aria-label="&#60;script&#62;');
  });

  it('should shorten a long name to 40 characters', () => {
    const svg = renderBadge({ name: 'x'.repeat(100), status: 'up' });

    expect(svg).toContain(`>${'x'.repeat(39)}…</text>`);
  });
});
