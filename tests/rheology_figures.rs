//! `nanocontact analyze rheology RUN` on a short run of the small driven junction writes the
//! figures of the paper's Figs. 2, 3a and 4 beside rheology.csv, as PNG files of the expected
//! size with the series drawn.

mod common;

use std::path::Path;

/// Decode a PNG: (width, height, RGB bytes).
fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Number of pixels of exactly this colour.
fn count(rgb: &[u8], c: [u8; 3]) -> usize {
    rgb.chunks(3).filter(|p| *p == c).count()
}

const BLUE: [u8; 3] = [31, 119, 180];
const RED: [u8; 3] = [214, 39, 40];
const GRAY: [u8; 3] = [127, 127, 127];
const BLACK: [u8; 3] = [0, 0, 0];

#[test]
fn analyze_run_writes_the_three_figures() {
    // The small junction deck (its own stage: 1 ps at 200 GHz, under a cycle, so skipped by
    // the analysis), then two amplitudes of three 500 GHz cycles (2 ps each).
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/small_driven_junction.toml"),
    )
    .unwrap();
    let pot = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/potentials/Au_u3.eam");
    let mut deck = base.replace(
        "files = [\"potentials/Au_u3.eam\"]",
        &format!("files = [\"{}\"]", pot.display()),
    );
    for a in [0.2, 0.4] {
        deck += &format!(
            "\n[[stage]]\nname = \"sweep\"\ncycles = 3\nlead = [{{ group = \"top\", motion = \
             \"oscillate\", amplitude = {a}, frequency_ghz = 500.0 }}]\n"
        );
    }
    let dir = common::scratch("rheology-figures");
    let p = dir.join("deck.toml");
    std::fs::write(&p, deck).unwrap();
    let run = dir.join("run");
    let o = common::bin()
        .args(["run", p.to_str().unwrap(), "--out", run.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = common::bin()
        .args(["analyze", "rheology", run.to_str().unwrap()])
        .args(["--h0-nm", "2.2", "--area-nm2", "0.6", "--skip-cycles", "1"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(common::read_csv(&run.join("rheology.csv")).len(), 2);

    // Fig. 3a: G' (blue) and G'' (red) markers with error bars at the two amplitudes.
    let (w, h, rgb) = decode(&run.join("rheology_G_500GHz.png"));
    assert_eq!((w, h), (900, 600));
    assert!(count(&rgb, BLUE) > 100 && count(&rgb, RED) > 100);
    for stage in [1, 2] {
        // Fig. 2: two stacked panels, a(t) (blue, dashed), force samples (grey) and fit (black).
        let (w, h, rgb) = decode(&run.join(format!("rheology_force_stage{stage}.png")));
        assert_eq!((w, h), (900, 900));
        assert!(count(&rgb, BLUE) > 500, "stage {stage}");
        assert!(count(&rgb, GRAY) > 500 && count(&rgb, BLACK) > 1000);
        // Fig. 4: the loops in blue (strain growing) and red (falling), the fit in black.
        let (w, h, rgb) = decode(&run.join(format!("rheology_loop_stage{stage}.png")));
        assert_eq!((w, h), (900, 600));
        assert!(count(&rgb, BLUE) > 500 && count(&rgb, RED) > 500);
    }
    assert!(!run.join("rheology_force_stage0.png").exists());
}
