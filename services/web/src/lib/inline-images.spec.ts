import { withheldInlineImages } from './inline-images';

const shot = {
  id: '6d1c3d2e-0000-4000-8000-000000000001',
  url: '/api/v1/attachments/6d1c3d2e-0000-4000-8000-000000000001',
  contentId: 'Shot@Mail',
};
const other = {
  id: '6d1c3d2e-0000-4000-8000-000000000002',
  url: '/api/v1/attachments/6d1c3d2e-0000-4000-8000-000000000002',
  contentId: null,
};

describe('inline images withheld until the page fetches them', () => {
  it('takes the download address off an image of a known file and names the file instead', () => {
    expect(
      withheldInlineImages(`<p>See <img src="${shot.url}?inline=1" alt="shot" /></p>`, [shot, other]),
    ).toBe(`<p>See <img data-inline-attachment="${shot.id}" alt="shot" /></p>`);
    expect(withheldInlineImages(`<img alt="x" src="${other.url}">`, [shot, other])).toBe(
      `<img alt="x" data-inline-attachment="${other.id}">`,
    );
  });

  it('finds a cid: image by its Content-ID, in any case; an unknown cid: loses its address', () => {
    expect(
      withheldInlineImages('<img src="cid:shot@mail" alt="a"><img src="cid:gone@mail" alt="b">', [shot]),
    ).toBe(`<img data-inline-attachment="${shot.id}" alt="a"><img alt="b">`);
  });

  it('leaves other images, another file’s address and bodies without images as they are', () => {
    const html =
      '<p><img src="https://cdn.example/logo.png" alt="logo"> <img src="/api/v1/attachments/abc?inline=1"></p>';
    expect(withheldInlineImages(html, [shot])).toBe(html);
    expect(withheldInlineImages('<p>no images, src="cid:x"</p>', [shot])).toBe(
      '<p>no images, src="cid:x"</p>',
    );
    expect(withheldInlineImages(`<img src="${shot.url}?inline=1">`, [])).toBe(
      `<img src="${shot.url}?inline=1">`,
    );
  });
});
