import { fill, press } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";

// A handheld scanner types each code and sends Enter, without waiting for the screen.
// The three serials must all land on the line being edited: no new line, no product
// created from a serial. The Python test checks the saved order.
const lines = ".o_field_widget[name=order_line]";
const row = `${lines} .o_data_row:first-child`;
const scanInput = `${row} td[name=serial_scan] input`;
const serials = ["CAM-001", "CAM-002", "CAM-003"];

registry.category("web_tour.tours").add("serial_tracking_sale_scan_tour", {
    steps: () => [
        {
            content: "add a line",
            trigger: `${lines} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "choose the camera",
            trigger: `${row}.o_selected_row [name=product_template_id] input`,
            run: "edit Camera Z9",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Camera Z9)",
            run: "click",
        },
        {
            content: "three units",
            trigger: `${row}.o_selected_row [name=product_uom_qty] input`,
            run: "edit 3",
        },
        {
            content: "put the cursor in the scan cell",
            trigger: scanInput,
            run: "click",
        },
        {
            content: "scan three serials in a row, Enter after each",
            trigger: `${scanInput}:focus`,
            async run() {
                for (const serial of serials) {
                    // Where the focus is, as a scanner does: no click in between.
                    await fill(serial);
                    await press("Enter");
                }
            },
        },
        {
            content: "the three serials are captured on the line",
            trigger: `${row} td[name=serial_lot_ids]:contains(CAM-001):contains(CAM-002):contains(CAM-003)`,
        },
        {
            content: "the scan cell is empty and keeps the focus, ready for the next scan",
            trigger: `${scanInput}:focus`,
            run() {
                const input = document.querySelector(scanInput);
                if (input.value) {
                    throw new Error(`The scan cell still holds "${input.value}".`);
                }
                const count = document.querySelectorAll(`${lines} .o_data_row`).length;
                if (count !== 1) {
                    throw new Error(`Scanning left ${count} order lines instead of 1.`);
                }
            },
        },
        {
            content: "save the quotation",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "saved",
            trigger: ".o_form_saved",
        },
    ],
});

// At the warranty desk, one unit after the other: Enter looks the unit up, and the
// next scan replaces the code instead of being appended to it.
const codeInput = ".o_field_widget[name=code] input";

function lookUp(serial) {
    return [
        {
            content: `scan ${serial}`,
            trigger: `${codeInput}:focus`,
            async run() {
                await fill(serial);
                await press("Enter");
            },
        },
        {
            content: `${serial} is looked up without leaving the field`,
            trigger: `.o_field_widget[name=lot_id]:contains(${serial})`,
        },
        {
            content: "the code keeps the focus",
            trigger: `${codeInput}:focus`,
        },
    ];
}

registry.category("web_tour.tours").add("serial_tracking_lookup_scan_tour", {
    steps: () => [
        ...lookUp("WSCAN-0001"),
        ...lookUp("WSCAN-0002"),
        {
            content: "open the unit last scanned",
            trigger: "button[name=action_open_unit]",
            run: "click",
        },
        {
            content: "its form shows it",
            trigger: ".o_field_widget[name=name] input:value(WSCAN-0002)",
        },
    ],
});
