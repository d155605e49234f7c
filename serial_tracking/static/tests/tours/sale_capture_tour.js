import { registry } from "@web/core/registry";

// A salesperson scans two serials on the order line prepared by the Python test,
// then confirms the order. The Python test checks the delivery afterwards.
const scanCell = ".o_field_widget[name=order_line] .o_data_row:first-child td[name=serial_scan]";
const tags = ".o_field_widget[name=order_line] .o_data_row:first-child td[name=serial_lot_ids]";

function scan(code, serial) {
    return [
        {
            content: "the line is not being edited",
            trigger: ".o_field_widget[name=order_line] .o_data_row:first-child:not(.o_selected_row)",
        },
        {
            content: `select the scan cell for ${code}`,
            trigger: scanCell,
            run: "click",
        },
        {
            content: `scan ${code}`,
            trigger: `${scanCell} input:focus`,
            async run(helpers) {
                // A function, not "edit ...": the string form would mangle "(".
                await helpers.edit(code);
                await helpers.click(".o_form_view .oe_title");
            },
        },
        {
            content: `${serial} is captured on the line`,
            trigger: `${tags}:contains(${serial})`,
        },
    ];
}

registry.category("web_tour.tours").add("serial_tracking_sale_capture_tour", {
    steps: () => [
        {
            content: "the order line waits for its serials",
            trigger: ".o_field_widget[name=order_line] .o_data_row:first-child:contains(Camera Z9)",
        },
        ...scan("CAM-001", "CAM-001"),
        // A GS1 DataMatrix read by a scanner: GTIN of the product + serial (AI 21).
        ...scan("(01)09506000134376(21)CAM-002", "CAM-002"),
        {
            content: "confirm the order",
            trigger: ".o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "the order is confirmed",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
        },
    ],
});

// The warehouse validates the delivery the confirmation created: it holds exactly the
// captured units.
registry.category("web_tour.tours").add("serial_tracking_sale_delivery_tour", {
    steps: () => [
        {
            content: "the sold serials are shown on the move",
            trigger: ".o_field_widget[name=move_ids_without_package] td[name=serial_lot_ids]:contains(CAM-001):contains(CAM-002)",
        },
        {
            content: "validate the delivery",
            trigger: ".o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            content: "the delivery is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
    ],
});
